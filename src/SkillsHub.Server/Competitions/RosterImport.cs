using System.ComponentModel;
using SkillsHub.Abstractions;
using SkillsHub.Domain;
using SkillsHub.Domain.Marking;

namespace SkillsHub.Server.Competitions;

/// <summary>
/// What an import parsed: its items, every row's problem, and, where the grain may refuse items in turn, the file row
/// each item came from (<see cref="RowOf"/>) and how the file names its fields (<see cref="FieldOf"/>), so the grain's
/// refusals name the row and the field as the parser's do.
/// </summary>
public sealed record Parsed<T>(IReadOnlyList<T> Items, IReadOnlyList<RowError> Errors, IReadOnlyList<int>? Rows = null, FieldNames? Names = null)
{
    public bool Ok => Errors.Count == 0;

    /// <summary>The file row of the item numbered <paramref name="entry"/> (1-based, as the grain numbers them).</summary>
    public int? RowOf(int? entry) => entry is { } e && Rows is { } rows && e >= 1 && e <= rows.Count ? rows[e - 1] : entry;

    /// <summary>A field of <paramref name="row"/> as the file names it: the CSV column, or the JSON entry's property.</summary>
    public string FieldOf(int? row, string column) => (Names ?? FieldNames.Csv).Of(row, column);
}

/// <summary>
/// Competitors, experts, marking groups and skills from CSV (header row) or JSON (array). Every row is
/// checked and every problem reported with its row and field; the caller stores nothing unless all pass.
/// </summary>
public static partial class RosterImport
{
    // Each also takes the name its read answers with (memberCode, expertIds), so what GET .../competitors, .../experts or
    // .../marking-groups answers imports back as it is (docs/scoring.md, "Setup imports"; found by an outside tester).
    // What the server fills in or takes under another name is optional in the contract (docs/operations.md, "API contract"):
    // member or memberCode, and a team's name (its people's names when left out).
    public sealed record CompetitorJson(string? Id, List<PersonJson>? People,
        [property: Description("Required unless memberCode is given (never both).")] string? Member = null, string? Name = null,
        [property: Description("The same as member (the name the read answers with).")] string? MemberCode = null);

    public sealed record PersonJson(string? FirstName, string? LastName);

    public sealed record ExpertJson(string? Id, string? Name, string? Role,
        [property: Description("Required unless memberCode is given (never both).")] string? Member = null,
        [property: Description("The same as member (the name the read answers with).")] string? MemberCode = null);

    /// <summary>A marking group; left out or blank, its name is its id.</summary>
    public sealed record GroupJson(string? Id, List<string>? Targets, string? Name = null,
        [property: Description("Required unless expertIds is given (never both).")] List<string>? Experts = null,
        [property: Description("The same as experts (the name the read answers with).")] List<string>? ExpertIds = null);

    public sealed record SkillJson(int? Number, string? Name, string? NameZh = null, string? Sector = null, int? TeamSize = null, int? CompetitorMaxAge = null);

    /// <summary>
    /// One skill to add or update. <paramref name="Given"/> holds the optional columns the file has (CSV column names:
    /// name_zh, sector, team_size, competitor_max_age): a column the file leaves out keeps the stored value, a blank
    /// cell or a JSON null clears it (docs/scoring.md, "Setup imports").
    /// </summary>
    public sealed record SkillImport(SkillJson Skill, IReadOnlySet<string> Given);

    static readonly string[] SkillOptionalColumns = ["name_zh", "sector", "team_size", "competitor_max_age"];

    /// <param name="onePerMember">
    /// The skill's current competitors when a member may enter one competitor (or team) per skill, as at
    /// WorldSkills; null when the competition allows several (docs/scoring.md, "Competitors per member").
    /// </param>
    public static Parsed<CompetitorInfo> Competitors(string body, bool csv, IReadOnlySet<string> members, int teamSize, IReadOnlyList<CompetitorInfo>? onePerMember = null)
    {
        var errors = new List<RowError>();
        var names = FieldNames.For(csv);
        var rows = Rows(body, csv, ["id", "member", "first_name", "last_name"], ["team"],
            (_, get) => new CompetitorJson(get("id"), [new PersonJson(get("first_name"), get("last_name"))], Member: get("member"), Name: get("team")), errors);
        if (csv)
        {
            // Rows sharing an id are the members of one team; they must agree on the team's member and name, or a
            // row's member or team would be dropped without a word.
            rows = rows.GroupBy(r => r.Item.Id ?? "", StringComparer.Ordinal)
                .Select(g =>
                {
                    var (first, item) = g.First();
                    foreach (var (row, other) in g.Skip(1))
                    {
                        TeamRowAgrees(g.Key, "member", first, item.Member, row, other.Member, StringComparison.OrdinalIgnoreCase, errors);
                        TeamRowAgrees(g.Key, "team", first, item.Name, row, other.Name, StringComparison.Ordinal, errors);
                    }
                    return (first, item with { People = g.SelectMany(r => r.Item.People!).ToList() });
                })
                .ToList();
        }
        // A JSON entry is a team: its people count as the rows of a CSV file do (found by an outside tester: 1,001 teams of
        // three passed as 1,001 rows).
        if (!csv && rows.Sum(r => r.Item.People?.Count ?? 1) is var persons && persons > MaxRows)
        {
            return new Parsed<CompetitorInfo>([], [new RowError(null, "body", $"The file has {persons} people; a setup import takes at most {MaxRows}.", RowCodes.TooManyRows,
                RowCodes.Args(("rows", persons), ("max", MaxRows)))], [], names);
        }
        var items = new List<CompetitorInfo>();
        var itemRows = new List<int>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, c) in rows)
        {
            var before = errors.Count;
            var id = UniqueId(c.Id, row, ids, "competitor", RowCodes.DuplicateCompetitor, errors);
            var member = Member(OneOf(c.Member, c.MemberCode, row, "member", "memberCode", names, errors), row, names.Of(row, "member"), members, errors);
            NotNull(c.People, row, "people", errors);
            var people = new List<PersonName>();
            // Each person by their place in the entry's people (people[1].lastName), nulls and blank ones counted.
            for (var i = 0; i < (c.People?.Count ?? 0); i++)
            {
                if (c.People![i] is not { } given || (string.IsNullOrWhiteSpace(given.FirstName) && string.IsNullOrWhiteSpace(given.LastName)))
                {
                    continue;
                }
                var p = new PersonName(Nfc(given.FirstName), Nfc(given.LastName));
                people.Add(p);
                Text(p.FirstName, row, names.OfPerson(i, "first_name"), errors);
                Text(p.LastName, row, names.OfPerson(i, "last_name"), errors);
                // Both names, as the message says: a person with one of them blank is a row half filled in.
                if (string.IsNullOrWhiteSpace(p.FirstName) || string.IsNullOrWhiteSpace(p.LastName))
                {
                    errors.Add(new RowError(row, names.OfPerson(i, string.IsNullOrWhiteSpace(p.FirstName) ? "first_name" : "last_name"),
                        "A competitor needs a first and last name (each team member on their own row).", RowCodes.CompetitorNeedsName));
                }
            }
            // The team's name: the CSV's team column, the JSON entry's name.
            Text(c.Name, row, names.Of(row, "team"), errors);
            if (people.Count == 0)
            {
                // A JSON entry without people names people, the field it left out; a CSV row, its blank column.
                errors.Add(new RowError(row, csv ? "first_name" : "people", "A competitor needs a first and last name (each team member on their own row).", RowCodes.CompetitorNeedsName));
            }
            else if (people.Count != teamSize)
            {
                errors.Add(new RowError(row, "id", $"Competitor '{id}' has {people.Count} people; this skill's team size is {teamSize}.", RowCodes.TeamSize, RowCodes.Args(("id", id), ("people", people.Count), ("teamSize", teamSize))));
            }
            if (errors.Count == before)
            {
                var name = !string.IsNullOrWhiteSpace(c.Name) ? Nfc(c.Name)
                    : people.Count == 1 ? Domain.Text.PersonNames.Display(people[0].FirstName, people[0].LastName) : string.Join(" & ", people.Select(p => p.LastName));
                items.Add(new CompetitorInfo(id!, member!, name, people));
                itemRows.Add(row);
            }
        }
        if (onePerMember is not null)
        {
            // An id on file in another case is that competitor (IdCase), said as such rather than as a second one of its member.
            var clashing = new HashSet<int>();
            foreach (var (index, fault) in Domain.Scoring.Import.IdCase.Clashes(onePerMember.Select(c => c.Id), items.Select(i => i.Id).ToList()))
            {
                clashing.Add(index);
                errors.Add(new RowError(itemRows[index], "id", fault));
            }
            foreach (var (index, taken, holder) in Domain.Scoring.Import.OnePerMember.Conflicts(
                onePerMember.Select(c => (c.Id, c.MemberCode)), items.Select(i => (i.Id, i.MemberCode)).ToList()).Where(c => !clashing.Contains(c.Index)))
            {
                errors.Add(new RowError(itemRows[index], names.Of(itemRows[index], "member"), Domain.Scoring.Import.OnePerMember.Refusal(taken, holder)));
            }
        }
        return new Parsed<CompetitorInfo>(items, errors, itemRows, names);
    }

    static void TeamRowAgrees(string id, string column, int firstRow, string? first, int row, string? value, StringComparison comparison, List<RowError> errors)
    {
        if (!string.Equals(Nfc(first), Nfc(value), comparison))
        {
            errors.Add(new RowError(row, column, $"Competitor '{id}': {column} '{Nfc(value)}' differs from row {firstRow}'s '{Nfc(first)}'; the rows of one team share their {column}.",
                RowCodes.TeamRowsDisagree, RowCodes.Args(("id", id), ("column", column), ("value", Nfc(value)), ("firstRow", firstRow), ("first", Nfc(first)))));
        }
    }

    public static Parsed<ExpertInfo> Experts(string body, bool csv, IReadOnlySet<string> members)
    {
        var errors = new List<RowError>();
        var names = FieldNames.For(csv);
        var rows = Rows(body, csv, ["id", "member", "name", "role"], [], (_, get) => new ExpertJson(get("id"), get("name"), get("role"), Member: get("member")), errors);
        var items = new List<ExpertInfo>();
        var itemRows = new List<int>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, e) in rows)
        {
            var before = errors.Count;
            var id = UniqueId(e.Id, row, ids, "expert", RowCodes.DuplicateExpert, errors);
            var member = Member(OneOf(e.Member, e.MemberCode, row, "member", "memberCode", names, errors), row, names.Of(row, "member"), members, errors);
            if (string.IsNullOrWhiteSpace(e.Name))
            {
                errors.Add(new RowError(row, "name", "The expert's name is required.", RowCodes.ExpertNameRequired));
            }
            Text(e.Name, row, "name", errors);
            // Required: a missing role once made every re-imported Chief Expert a plain Expert.
            var role = Role(e.Role);
            if (string.IsNullOrWhiteSpace(e.Role))
            {
                errors.Add(new RowError(row, "role", "The expert's role is required: Chief Expert, Deputy Chief Expert or Expert.", RowCodes.RoleRequired));
            }
            else if (role is null)
            {
                errors.Add(new RowError(row, "role", $"Role '{e.Role}' is not one of: Chief Expert, Deputy Chief Expert, Expert.", RowCodes.UnknownRole, RowCodes.Args(("role", e.Role))));
            }
            if (errors.Count == before)
            {
                items.Add(new ExpertInfo(id!, member!, Nfc(e.Name), role!.Value));
                itemRows.Add(row);
            }
        }
        if (items.Count(e => e.Role == ExpertRole.ChiefExpert) > 1)
        {
            errors.Add(new RowError(null, "role", "A skill has one Chief Expert.", RowCodes.OneChiefExpert));
        }
        return new Parsed<ExpertInfo>(items, errors, itemRows, names);
    }

    public static Parsed<MarkingGroup> Groups(string body, bool csv)
    {
        var errors = new List<RowError>();
        var names = FieldNames.For(csv);
        var rows = Rows(body, csv, ["id", "name", "targets", "experts"], [], (_, get) => new GroupJson(get("id"), SplitList(get("targets")), get("name"), SplitList(get("experts"))), errors);
        var items = new List<MarkingGroup>();
        var itemRows = new List<int>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (row, g) in rows)
        {
            var before = errors.Count;
            var id = UniqueId(g.Id, row, ids, "marking group", RowCodes.DuplicateGroup, errors);
            Text(g.Name, row, "name", errors);
            var targets = IdList(g.Targets, row, "targets", errors);
            var experts = IdList(OneOf(g.Experts, g.ExpertIds, row, "experts", "expertIds", names, errors), row, names.Of(row, "experts"), errors);
            if (targets.Count == 0)
            {
                errors.Add(new RowError(row, "targets", "List the criteria, sub-criteria or aspects this group marks.", RowCodes.GroupNeedsTargets));
            }
            if (experts.Count == 0)
            {
                errors.Add(new RowError(row, names.Of(row, "experts"), "List the experts of this group.", RowCodes.GroupNeedsExperts));
            }
            if (errors.Count == before)
            {
                items.Add(new MarkingGroup(id!, string.IsNullOrWhiteSpace(g.Name) ? id! : Nfc(g.Name), targets, experts));
                itemRows.Add(row);
            }
        }
        return new Parsed<MarkingGroup>(items, errors, itemRows, names);
    }

    public static Parsed<SkillImport> Skills(string body, bool csv)
    {
        var errors = new List<RowError>();
        var names = FieldNames.For(csv);
        var columns = new HashSet<string>();
        var rows = Rows(body, csv, ["number", "name_en"], SkillOptionalColumns, (row, get) => new SkillJson(
            IntOrNull(get("number"), row, "number", errors, Identifiers.ReadSkillNumber), get("name_en"), get("name_zh"), get("sector"),
            IntOrNull(get("team_size"), row, "team_size", errors), IntOrNull(get("competitor_max_age"), row, "competitor_max_age", errors)), errors, columns);
        var given = csv || errors.Count > 0 ? null : SkillPropertiesGiven(body);
        var items = new List<SkillImport>();
        var itemRows = new List<int>();
        var numbers = new HashSet<int>();
        foreach (var (row, s) in rows)
        {
            var before = errors.Count;
            if (!Identifiers.IsSkillNumber(s.Number))
            {
                errors.Add(new RowError(row, "number", "The skill number must be between 1 and 99.", RowCodes.SkillNumber));
            }
            else if (!numbers.Add(s.Number.Value))
            {
                errors.Add(new RowError(row, "number", $"Skill {s.Number} appears twice.", RowCodes.DuplicateSkill, RowCodes.Args(("number", s.Number))));
            }
            // Each field as the file names it: name_en, team_size in CSV, name, teamSize in JSON (found by outside testers: a
            // JSON entry without its name was refused naming name_en, which JSON does not have).
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                errors.Add(new RowError(row, names.Of(row, "name_en"), "The skill name is required.", RowCodes.SkillNameRequired));
            }
            Text(s.Name, row, names.Of(row, "name_en"), errors);
            Text(s.NameZh, row, names.Of(row, "name_zh"), errors);
            Text(s.Sector, row, names.Of(row, "sector"), errors);
            if (s.TeamSize is not null and not (1 or 2 or 3))
            {
                errors.Add(new RowError(row, names.Of(row, "team_size"), "Team size is 1, 2 or 3.", RowCodes.TeamSizeRange));
            }
            if (s.CompetitorMaxAge is not null and not (>= 10 and <= 99))
            {
                errors.Add(new RowError(row, names.Of(row, "competitor_max_age"), "The competitors' age limit is between 10 and 99 (years).", RowCodes.MaxAgeRange));
            }
            if (errors.Count == before)
            {
                items.Add(new SkillImport(s with { Name = Nfc(s.Name), NameZh = Blank(s.NameZh), Sector = Blank(s.Sector) },
                    given is null ? columns : given[row - 1]));
                itemRows.Add(row);
            }
        }
        return new Parsed<SkillImport>(items, errors, itemRows, names);
    }

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : Nfc(value);

    /// <summary>Names are stored NFC-normalised (docs/security.md).</summary>
    static string Nfc(string? value) => Domain.Text.TextInput.Normalise(value ?? "");

    /// <summary>Control and bidi characters are refused with the row and field (docs/security.md).</summary>
    static void Text(string? value, int row, string field, List<RowError> errors)
    {
        if (Domain.Text.TextInput.FaultOf(value) is { } fault)
        {
            errors.Add(new RowError(row, field, fault));
        }
    }

    /// <param name="read">How the field's numbers are written: <see cref="WholeNumber"/> unless the field says otherwise.</param>
    static int? IntOrNull(string? value, int row, string field, List<RowError> errors, Func<string, int?>? read = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if ((read ?? WholeNumber)(value) is { } n)
        {
            return n;
        }
        errors.Add(new RowError(row, field, $"'{value}' is not a whole number.", RowCodes.NotAWholeNumber, RowCodes.Args(("value", value))));
        return null;
    }

    /// <summary>
    /// Digits, with a minus for a negative one (which the range rules then refuse): "+7" or "0012" is not how a number is
    /// written in these files (found by an outside tester).
    /// </summary>
    static int? WholeNumber(string value)
    {
        var text = value.Trim();
        var digits = text.StartsWith('-') ? text[1..] : text;
        return digits.Length is > 0 and <= 9 && (digits == "0" || digits[0] is >= '1' and <= '9') && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n : null;
    }

    static List<string> SplitList(string? value) =>
        (value ?? "").Split([';', ',', ' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>The row's id under the one id rule (<see cref="Identifiers"/>), refused with <paramref name="duplicateCode"/> when an earlier row has it.</summary>
    static string? UniqueId(string? value, int row, HashSet<string> ids, string kind, string duplicateCode, List<RowError> errors)
    {
        var id = value?.Trim();
        if (!Identifiers.IsValid(id))
        {
            errors.Add(new RowError(row, "id", $"'{value}' is not a valid id. {Identifiers.Rule(kind)}", RowCodes.InvalidId, RowCodes.Args(("value", value))));
            return null;
        }
        if (!ids.Add(id!))
        {
            errors.Add(new RowError(row, "id", $"{char.ToUpperInvariant(kind[0])}{kind[1..]} '{id}' appears twice.", duplicateCode, RowCodes.Args(("id", id))));
        }
        return id;
    }

    /// <param name="field">The member's field as the file names it: member, or memberCode when the JSON entry gave that.</param>
    static string? Member(string? value, int row, string field, IReadOnlySet<string> members, List<RowError> errors)
    {
        var code = value?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code) || !members.Contains(code))
        {
            errors.Add(new RowError(row, field, $"'{value}' is not a WorldSkills member code.", RowCodes.UnknownMember, RowCodes.Args(("value", value))));
            return null;
        }
        return code;
    }

    static ExpertRole? Role(string? value) => (value ?? "").Replace(" ", "").Replace("-", "").ToLowerInvariant() switch
    {
        "chiefexpert" or "ce" => ExpertRole.ChiefExpert,
        "deputychiefexpert" or "dce" or "deputy" => ExpertRole.DeputyChiefExpert,
        "expert" => ExpertRole.Expert,
        _ => null,
    };
}
