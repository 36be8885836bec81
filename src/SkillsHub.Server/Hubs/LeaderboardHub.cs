using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SkillsHub.Abstractions;
using SkillsHub.Domain.Marking;
using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Hubs;

/// <summary>
/// Live leaderboards. A client subscribes to a skill and gets a full snapshot at once, then "standings"
/// messages with increasing sequence numbers; on a gap it calls Subscribe again (or GET .../standings). A push sent while
/// Subscribe runs may reach the client before its answer, with the same sequence or one below (the connection joins the
/// group first, so no change falls between): the client keeps the highest sequence it has had (README, found by an
/// outside tester).
/// Spectators join the public group (frozen or hidden skills send nothing newer than allowed); the jury
/// of that skill (Chief Expert, organisers, admins) joins the live group. A connection a session or token opened ends
/// when that credential ends (<see cref="LiveConnections"/>).
/// </summary>
[Authorize(Policy = Policies.Public)]
public sealed class LeaderboardHub(IGrainFactory grains, CompetitionStore competitions, LeaderboardNotifier notifier, LiveConnections live) : Hub
{
    public const string Path = "/hubs/leaderboard";

    public static string PublicGroup(string skillKey) => "public:" + skillKey;

    public static string LiveGroup(string skillKey) => "live:" + skillKey;

    public static string MedalsGroup(string competition) => "medals:" + competition.ToUpperInvariant();

    public static string ProgressGroup(string skillKey) => "progress:" + skillKey;

    /// <summary>
    /// The skill key a client names, or a HubException: a code or number that breaks the rules names no skill
    /// (docs/scoring.md, "Limits and identifiers"), and must not become a grain key or a group.
    /// </summary>
    static string Key(string? competitionCode, int skillNumber) =>
        Identifiers.IsCompetitionCode(competitionCode) && Identifiers.IsSkillNumber(skillNumber)
            ? SkillKey.Format(competitionCode!, skillNumber)
            : throw new HubException("No such skill: a competition code is 3 to 16 letters or digits, a skill number 1 to 99.");

    public override Task OnConnectedAsync()
    {
        live.Opened(Context);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        live.Closed(Context.ConnectionId);
        return Task.CompletedTask;
    }

    [Authorize(Policy = Policies.Public)]
    public async Task<Standings> Subscribe(string competitionCode, int skillNumber)
    {
        var key = Key(competitionCode, skillNumber);
        await EnsureOnFileAsync(competitionCode, skillNumber);
        var live = Context.User?.IsJury(competitionCode, skillNumber) == true;
        // A connection is in exactly one of the two groups for a skill; it joins before the snapshot is read, so no
        // change falls between the two.
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, live ? PublicGroup(key) : LiveGroup(key));
        await Groups.AddToGroupAsync(Context.ConnectionId, live ? LiveGroup(key) : PublicGroup(key));
        var snapshot = await grains.GetGrain<IEventGrain>(key).GetStandings(live);
        notifier.Follow(key, snapshot);
        return snapshot;
    }

    [Authorize(Policy = Policies.Public)]
    public async Task Unsubscribe(string competitionCode, int skillNumber)
    {
        var key = Key(competitionCode, skillNumber);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, PublicGroup(key));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroup(key));
    }

    /// <summary>
    /// The marking-progress feed for the skill's jury and its paired tablets: "sheetsChanged" (competition, skill,
    /// competitorIds, nothing of the marks); the console and the judge app then refetch those competitors' sheets, each
    /// through its own endpoint and its own rights (found by an outside tester: a judge's tablet never saw a colleague's
    /// measurement until reopened, and replaced it unawares). "rulesChanged" (competition, skill) says the marking rules
    /// changed (a lock or unlock, the scheme, the groups, the roster): a tablet reads its assignment again.
    /// "visibilityChanged" (competition, skill) says the skill's visibility changed (a mode set, results published): an
    /// organiser's open console reads it again (docs/pages.md, "Console"). Refused for anyone else.
    /// </summary>
    [Authorize(Policy = Policies.SignedIn)]
    public async Task SubscribeProgress(string competitionCode, int skillNumber)
    {
        var key = Key(competitionCode, skillNumber);
        var user = Context.User;
        var ownTablet = user?.DeviceId() is not null && string.Equals(user.Competition(), competitionCode, StringComparison.OrdinalIgnoreCase) && user.SkillNumber() == skillNumber;
        if (user?.IsJury(competitionCode, skillNumber) != true && !ownTablet)
        {
            throw new HubException("Only the skill's jury (its Chief Expert, organisers, admins) and its paired tablets follow marking progress.");
        }
        await EnsureOnFileAsync(competitionCode, skillNumber);
        await Groups.AddToGroupAsync(Context.ConnectionId, ProgressGroup(key));
    }

    /// <summary>Medal-table subscribers get "resultsChanged" (competition, skill, sequence) and refetch /api/competitions/{code}/results.</summary>
    [Authorize(Policy = Policies.Public)]
    public async Task SubscribeMedals(string competitionCode)
    {
        if (!Identifiers.IsCompetitionCode(competitionCode))
        {
            throw new HubException("No such competition: a competition code is 3 to 16 letters or digits.");
        }
        if (!await competitions.CompetitionExistsAsync(competitionCode, Context.ConnectionAborted))
        {
            throw new HubException($"No such competition: '{competitionCode.ToUpperInvariant()}' is not on file.");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, MedalsGroup(competitionCode));
    }

    /// <summary>A HubException unless the skill (already checked by <see cref="Key"/>) is on file, as the HTTP routes answer 404 (docs/scoring.md).</summary>
    async Task EnsureOnFileAsync(string competitionCode, int skillNumber)
    {
        if (!await competitions.SkillExistsAsync(competitionCode, skillNumber, Context.ConnectionAborted))
        {
            throw new HubException($"No such skill: competition '{competitionCode.ToUpperInvariant()}' has no skill {skillNumber}.");
        }
    }
}
