namespace SkillsHub.Abstractions;

/// <summary>One per silo: receives every skill's new standings and pushes them to that node's SignalR clients.</summary>
[Alias("SkillsHub.ILeaderboardObserver")]
public interface ILeaderboardObserver : IGrainObserver
{
    /// <summary>Live standings for the jury; the public view (null when it did not change) for spectators.</summary>
    [Orleans.Concurrency.OneWay]
    Task OnStandings(Standings live, Standings? publicView);

    /// <summary>Competitors whose mark sheets changed (for the Chief Expert's progress grid).</summary>
    [Orleans.Concurrency.OneWay]
    Task OnSheetsChanged(string competitionCode, int skillNumber, IReadOnlyList<string> competitorIds);

    /// <summary>The skill's marking rules changed (a lock, an unlock, the scheme, the groups, the roster): assignments are read again.</summary>
    [Orleans.Concurrency.OneWay]
    Task OnRulesChanged(string competitionCode, int skillNumber);

    /// <summary>The skill's visibility changed (live, frozen, hidden, published): an open console's visibility card reads it again.</summary>
    [Orleans.Concurrency.OneWay]
    Task OnVisibilityChanged(string competitionCode, int skillNumber);
}

/// <summary>
/// The membership-aware registry of per-silo observers (the GPSTracker sample's pattern, no separate
/// backplane). Observers re-register periodically and expire when a node dies, so a dead node never
/// stalls the others: notifications are one-way.
/// </summary>
[Alias("SkillsHub.ILeaderboardRegistryGrain")]
public interface ILeaderboardRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers (or refreshes) a silo's observer; returns this registry activation's id, which changes when it restarts.</summary>
    Task<Guid> Register(ILeaderboardObserver observer);

    Task Unregister(ILeaderboardObserver observer);

    [Orleans.Concurrency.OneWay]
    Task Publish(Standings live, Standings? publicView);

    [Orleans.Concurrency.OneWay]
    Task PublishSheets(string competitionCode, int skillNumber, IReadOnlyList<string> competitorIds);

    [Orleans.Concurrency.OneWay]
    Task PublishRules(string competitionCode, int skillNumber);

    [Orleans.Concurrency.OneWay]
    Task PublishVisibility(string competitionCode, int skillNumber);
}
