using Microsoft.AspNetCore.SignalR;
using SkillsHub.Abstractions;

namespace SkillsHub.Server.Hubs;

/// <summary>
/// This node's observer in the leaderboard registry: receives every skill's standings from whichever
/// silo computed them and pushes them to the local SignalR groups. Re-registers periodically so the
/// registry forgets dead nodes and survives its own reactivation, and at once whenever the cluster's membership
/// changes: a node that left may have taken the registry with it, and the one that replaces it starts empty.
/// </summary>
public sealed class LeaderboardNotifier(IGrainFactory grains, IClusterMembershipService membership, IHubContext<LeaderboardHub> hub,
    ILogger<LeaderboardNotifier> logger, Feed.FeedStore feed, Observability.SkillsHubMetrics metrics)
    : BackgroundService, ILeaderboardObserver
{
    // Short, because a registry that moved to another silo starts empty; a membership change does not wait for it.
    static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(5);

    /// <summary>Released when the cluster's membership changes: the registration loop then registers at once.</summary>
    readonly SemaphoreSlim _membershipChanged = new(0, 1);

    ILeaderboardObserver? _reference;
    Guid _registry;

    /// <summary>
    /// Skills with standings that this node's clients may follow, fetched afresh when the registry restarts. Only real
    /// skills go in (a subscription's snapshot with competitors, or standings the registry sent): a client naming
    /// made-up skills must not grow the set, nor make every restart of the registry activate a grain for each of them
    /// (an event grain activated without competitors announces nothing).
    /// </summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _followed = new();

    public void Follow(string skillKey, Standings snapshot)
    {
        if (snapshot.Rows.Count > 0)
        {
            _followed.TryAdd(skillKey, 0);
        }
    }

    /// <summary>How many skills are followed (tests).</summary>
    public int FollowedCount => _followed.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<ILeaderboardObserver>(this);
        var registry = grains.GetGrain<ILeaderboardRegistryGrain>(0);
        _ = WatchMembershipAsync(stoppingToken);
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
            await _membershipChanged.WaitAsync(RegisterEvery, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    async Task WatchMembershipAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                if (_membershipChanged.CurrentCount == 0)
                {
                    _membershipChanged.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Watching the cluster's membership stopped; the registration falls back to every {Period}", RegisterEvery);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
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

    /// <summary>
    /// Called by the registry for every change of every skill. Orleans hands an observer one call at a time, so this
    /// only queues: each skill has its own sender (<see cref="SkillPushes"/>), skills go out in parallel, and a skill
    /// whose previous push is still going out sends only its newest standings next (docs/operations.md, "Live updates").
    /// </summary>
    public Task OnStandings(Standings live, Standings? publicView)
    {
        var key = SkillKey.Format(live.CompetitionCode, live.SkillNumber);
        _followed.TryAdd(key, 0);
        _pushes.GetOrAdd(key, k => new SkillPushes(this, k)).Offer(live, publicView);
        if (publicView is not null)
        {
            // On the thread pool: the retries must not wait on the observer's turns (the registry's calls).
            _ = Task.Run(() => AppendToFeedAsync(publicView));
        }
        return Task.CompletedTask;
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, SkillPushes> _pushes = new();

    /// <summary>A push waits at most this long for the group's slowest connection before the skill's next one may start.</summary>
    static readonly TimeSpan SlowestClient = TimeSpan.FromSeconds(1);

    async Task PushOrMoveOnAsync(string key, Standings? live, Standings? publicView)
    {
        try
        {
            await PushAsync(key, live, publicView).WaitAsync(SlowestClient);
        }
        catch (TimeoutException)
        {
            // A slow phone keeps its place in its own connection's queue; the others need not wait for it.
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Pushing the standings of {Skill} failed", key);
        }
    }

    Task PushAsync(string key, Standings? live, Standings? publicView)
    {
        var sends = new List<Task>(3);
        if (live is not null)
        {
            sends.Add(hub.Clients.Group(LeaderboardHub.LiveGroup(key)).SendAsync("standings", live));
        }
        if (publicView is not null)
        {
            sends.Add(hub.Clients.Group(LeaderboardHub.PublicGroup(key)).SendAsync("standings", publicView));
            sends.Add(hub.Clients.Group(LeaderboardHub.MedalsGroup(publicView.CompetitionCode))
                .SendAsync("resultsChanged", new { competition = publicView.CompetitionCode, skill = publicView.SkillNumber, sequence = publicView.Sequence }));
        }
        metrics.Pushes.Add(sends.Count);
        return Task.WhenAll(sends);
    }

    /// <summary>
    /// One skill's pushes, in order: the newest live and public standings not yet sent wait here (newer replace
    /// older: a screen wants the latest, not every step) while the previous push goes out. A view under the sequence
    /// this node last sent is the same view again (a sequence names one view of one skill) and is not sent twice: the
    /// fresh snapshots after the registry restarts (<see cref="ResyncAsync"/>) repeated the last push of every skill
    /// nothing had changed in, and an outside tester's board saw each twice under one sequence (README, "/hubs/leaderboard").
    /// </summary>
    sealed class SkillPushes(LeaderboardNotifier notifier, string key)
    {
        readonly Lock _lock = new();
        Standings? _live;
        Standings? _public;
        long? _liveSent;
        long? _publicSent;
        bool _sending;

        public void Offer(Standings live, Standings? publicView)
        {
            lock (_lock)
            {
                _live = Newer(_live, live);
                _public = publicView is null ? _public : Newer(_public, publicView);
                if (_sending)
                {
                    return;
                }
                _sending = true;
            }
            _ = Task.Run(SendAsync);
        }

        static Standings Newer(Standings? pending, Standings offered) => pending is null || offered.Sequence >= pending.Sequence ? offered : pending;

        async Task SendAsync()
        {
            while (true)
            {
                Standings? live, publicView;
                lock (_lock)
                {
                    (live, publicView) = (_live?.Sequence == _liveSent ? null : _live, _public?.Sequence == _publicSent ? null : _public);
                    (_live, _public) = (null, null);
                    if (live is null && publicView is null)
                    {
                        _sending = false;
                        return;
                    }
                    (_liveSent, _publicSent) = (live?.Sequence ?? _liveSent, publicView?.Sequence ?? _publicSent);
                }
                await notifier.PushOrMoveOnAsync(key, live, publicView);
            }
        }
    }

    /// <summary>The newest public view offered to the feed per skill: a failed append is retried until a newer one comes.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _feedOffers = new();

    readonly CancellationTokenSource _stopping = new();

    /// <summary>The longest wait between two tries of a failed append.</summary>
    static readonly TimeSpan FeedRetryAtMost = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The results feed (docs/feed.md) records the public change; every node tries, the first stores it (the store skips a
    /// change stored already or older than the skill's last). A failed append (the database busy or down) is tried again,
    /// waiting 1 s, then twice as long each time up to 30 s, until it is stored, a newer view of the skill is offered (it
    /// carries the whole standings, and is appended in its turn), or the node stops. Found by an outside tester: one failed
    /// append left the feed on the old standings until the skill's next change.
    /// </summary>
    async Task AppendToFeedAsync(Standings publicView)
    {
        var key = SkillKey.Format(publicView.CompetitionCode, publicView.SkillNumber);
        _feedOffers.AddOrUpdate(key, publicView.Sequence, (_, known) => Math.Max(known, publicView.Sequence));
        for (var wait = TimeSpan.FromSeconds(1); ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, FeedRetryAtMost.Ticks)))
        {
            try
            {
                await feed.AppendAsync(publicView, _stopping.Token);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "The results feed could not record {Competition} skill {Skill} #{Sequence}; trying again in {Wait}.",
                    publicView.CompetitionCode, publicView.SkillNumber, publicView.Sequence, wait);
            }
            try
            {
                await Task.Delay(wait, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_feedOffers.TryGetValue(key, out var newest) && newest > publicView.Sequence)
            {
                logger.LogDebug("The results feed leaves {Skill} #{Sequence} to the newer #{Newest}", key, publicView.Sequence, newest);
                return;
            }
        }
    }

    public Task OnSheetsChanged(string competitionCode, int skillNumber, IReadOnlyList<string> competitorIds)
    {
        metrics.Pushes.Add(1);
        return hub.Clients.Group(LeaderboardHub.ProgressGroup(SkillKey.Format(competitionCode, skillNumber)))
            .SendAsync("sheetsChanged", new { competition = competitionCode, skill = skillNumber, competitorIds });
    }

    public Task OnRulesChanged(string competitionCode, int skillNumber)
    {
        metrics.Pushes.Add(1);
        return hub.Clients.Group(LeaderboardHub.ProgressGroup(SkillKey.Format(competitionCode, skillNumber)))
            .SendAsync("rulesChanged", new { competition = competitionCode, skill = skillNumber });
    }

    /// <summary>To the progress group, as the rules: the skill's jury (and its tablets) hear of it, no one else (docs/pages.md, "Console").</summary>
    public Task OnVisibilityChanged(string competitionCode, int skillNumber)
    {
        metrics.Pushes.Add(1);
        return hub.Clients.Group(LeaderboardHub.ProgressGroup(SkillKey.Format(competitionCode, skillNumber)))
            .SendAsync("visibilityChanged", new { competition = competitionCode, skill = skillNumber });
    }
}
