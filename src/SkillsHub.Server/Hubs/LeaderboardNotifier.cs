using Microsoft.AspNetCore.SignalR;
using SkillsHub.Abstractions;

namespace SkillsHub.Server.Hubs;

/// <summary>
/// This node's observer in the leaderboard registry: receives every skill's standings from whichever
/// silo computed them and pushes them to the local SignalR groups. Re-registers periodically so the
/// registry forgets dead nodes and survives its own reactivation.
/// </summary>
public sealed class LeaderboardNotifier(IGrainFactory grains, IHubContext<LeaderboardHub> hub, ILogger<LeaderboardNotifier> logger, Feed.FeedStore feed)
    : BackgroundService, ILeaderboardObserver
{
    // Short, because a registry that moved to another silo (its node died) starts empty.
    static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(5);

    ILeaderboardObserver? _reference;
    Guid _registry;

    /// <summary>Skills this node's clients follow (live and public groups alike).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _followed = new();

    public void Follow(string skillKey) => _followed.TryAdd(skillKey, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<ILeaderboardObserver>(this);
        var registry = grains.GetGrain<ILeaderboardRegistryGrain>(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var activation = await registry.Register(_reference);
                if (_registry != Guid.Empty && activation != _registry)
                {
                    // The registry restarted (its node died): updates may have been lost meanwhile,
                    // so this node's clients get fresh snapshots of everything they follow.
                    await ResyncAsync();
                }
                _registry = activation;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not register for leaderboard updates; retrying");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
                continue;
            }
            await Task.Delay(RegisterEvery, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_reference is not null)
        {
            try
            {
                await grains.GetGrain<ILeaderboardRegistryGrain>(0).Unregister(_reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or OperationCanceledException)
            {
                logger.LogDebug(e, "Leaving the leaderboard registry failed; the entry will expire");
            }
            grains.DeleteObjectReference<ILeaderboardObserver>(_reference);
        }
        await base.StopAsync(cancellationToken);
    }

    async Task ResyncAsync()
    {
        foreach (var key in _followed.Keys)
        {
            var skill = grains.GetGrain<IEventGrain>(key);
            await OnStandings(await skill.GetStandings(live: true), await skill.GetStandings(live: false));
        }
    }

    public Task OnStandings(Standings live, Standings? publicView)
    {
        var key = SkillKey.Format(live.CompetitionCode, live.SkillNumber);
        var sends = new List<Task> { hub.Clients.Group(LeaderboardHub.LiveGroup(key)).SendAsync("standings", live) };
        if (publicView is not null)
        {
            sends.Add(hub.Clients.Group(LeaderboardHub.PublicGroup(key)).SendAsync("standings", publicView));
            sends.Add(hub.Clients.Group(LeaderboardHub.MedalsGroup(live.CompetitionCode))
                .SendAsync("resultsChanged", new { competition = live.CompetitionCode, skill = live.SkillNumber, sequence = publicView.Sequence }));
        }
        Observability.SkillsHubMetrics.Pushes.Add(sends.Count);
        if (publicView is not null)
        {
            sends.Add(AppendToFeedAsync(publicView));
        }
        return Task.WhenAll(sends);
    }

    /// <summary>The results feed (docs/feed.md) records the public change; every node tries, the first stores it.</summary>
    async Task AppendToFeedAsync(Standings publicView)
    {
        try
        {
            await feed.AppendAsync(publicView);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(e, "The results feed could not record {Competition} skill {Skill} #{Sequence}; another node may have.",
                publicView.CompetitionCode, publicView.SkillNumber, publicView.Sequence);
        }
    }

    public Task OnSheetsChanged(string competitionCode, int skillNumber, IReadOnlyList<string> competitorIds)
    {
        Observability.SkillsHubMetrics.Pushes.Add(1);
        return hub.Clients.Group(LeaderboardHub.ProgressGroup(SkillKey.Format(competitionCode, skillNumber)))
            .SendAsync("sheetsChanged", new { competition = competitionCode, skill = skillNumber, competitorIds });
    }
}
