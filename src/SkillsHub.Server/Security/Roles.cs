namespace SkillsHub.Server.Security;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Organiser = "Organiser";
    public const string ChiefExpert = "ChiefExpert";
    public const string Expert = "Expert";
    public const string AgencyOfficer = "AgencyOfficer";

    public static readonly IReadOnlySet<string> AccountRoles = new HashSet<string> { Admin, Organiser, AgencyOfficer };

    /// <summary>
    /// Roles as a form gives them, each in its stored spelling when it names an account role in any case: a role is an enum
    /// value, read in any case as every other one is (docs/security.md, "Bad input"; found by an outside tester). Anything
    /// else is left as it is, for the form's check to refuse.
    /// </summary>
    public static string[]? Canonical(string[]? roles) =>
        roles?.Select(r => AccountRoles.FirstOrDefault(known => string.Equals(known, r?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? r).ToArray();
}

/// <summary>Every endpoint and hub method names one of these explicitly.</summary>
public static class Policies
{
    /// <summary>Anyone, signed in or not (spectators, public lookups).</summary>
    public const string Public = "Public";

    public const string Admin = "Admin";

    /// <summary>Organisers and admins: competition setup, visibility, publishing.</summary>
    public const string Organiser = "Organiser";

    /// <summary>Organisers, admins, or the Chief Expert of the skill in the route.</summary>
    public const string SkillChief = "SkillChief";

    /// <summary>An expert's (or Chief Expert's) paired tablet for the skill in the route.</summary>
    public const string SkillExpert = "SkillExpert";

    /// <summary>The skill's tablets (experts, Chief Expert), organisers and admins: read-only skill data such as the scheme.</summary>
    public const string SkillReader = "SkillReader";

    /// <summary>Any paired tablet (its own assignment).</summary>
    public const string Device = "Device";

    /// <summary>A signed-in account (admin, organiser, agency officer; by cookie or personal API token), not a tablet.</summary>
    public const string Account = "Account";

    /// <summary>A signed-in account by its session cookie, not by a personal API token: creating tokens.</summary>
    public const string AccountSession = "AccountSession";

    /// <summary>Anyone signed in.</summary>
    public const string SignedIn = "SignedIn";
}

public static class SkillsHubClaims
{
    public const string Competition = "skillshub:competition";
    public const string Skill = "skillshub:skill";
    public const string Expert = "skillshub:expert";
    public const string Device = "skillshub:device";
    public const string Agency = "skillshub:agency";

    /// <summary>The id of the signed-in session a request came with (added when its ticket is read from the store).</summary>
    public const string Session = "skillshub:session";
}
