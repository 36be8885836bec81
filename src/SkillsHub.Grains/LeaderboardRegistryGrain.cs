using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using SkillsHub.Abstractions;

namespace SkillsHub.Grains;

/// <summary>Fans standings out to one observer per silo. Observers that stop re-registering expire.</summary>
[GrainType("leaderboard-registry")]
public sealed class LeaderboardRegistryGrain(ILogger<LeaderboardRegistryGrain> logger) : Grain, ILeaderboardRegistryGrain
{
    /// <summary>Silos re-register every 5 s; an observer silent for 30 s belongs to a dead node.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);

    readonly ObserverManager<ILeaderboardObserver> _observers = new(Expiry, logger);
    readonly Guid _activation = Guid.NewGuid();

    Task<Guid> ILeaderboardRegistryGrain.Register(ILeaderboardObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(_activation);
    }

    Task ILeaderboardRegistryGrain.Unregister(ILeaderboardObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    Task ILeaderboardRegistryGrain.Publish(Standings live, Standings? publicView)
    {
        // One-way calls: a dead silo's observer costs nothing here and is dropped when it expires.
        _observers.Notify(o => o.OnStandings(live, publicView));
        return Task.CompletedTask;
    }

    Task ILeaderboardRegistryGrain.PublishSheets(string competitionCode, int skillNumber, IReadOnlyList<string> competitorIds)
    {
        _observers.Notify(o => o.OnSheetsChanged(competitionCode, skillNumber, competitorIds));
        return Task.CompletedTask;
    }

    Task ILeaderboardRegistryGrain.PublishRules(string competitionCode, int skillNumber)
    {
        _observers.Notify(o => o.OnRulesChanged(competitionCode, skillNumber));
        return Task.CompletedTask;
    }

    Task ILeaderboardRegistryGrain.PublishVisibility(string competitionCode, int skillNumber)
    {
        _observers.Notify(o => o.OnVisibilityChanged(competitionCode, skillNumber));
        return Task.CompletedTask;
    }
}
