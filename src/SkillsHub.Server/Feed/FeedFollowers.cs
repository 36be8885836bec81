namespace SkillsHub.Server.Feed;

/// <summary>
/// One reader of PostgreSQL per followed competition and node (docs/feed.md, "How it works"): it reads new events every
/// 200 ms and keeps the latest in memory, and every open stream of that competition takes them from there. So a
/// thousand idle followers cost the database what one does. A stream resuming from further back than memory reaches
/// reads the database itself until it has caught up.
/// </summary>
public sealed class FeedFollowers(FeedStore store, ILogger<FeedFollowers> logger) : IDisposable
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    readonly Dictionary<string, Follower> _followers = [];
    readonly CancellationTokenSource _stopping = new();
    readonly FeedStore _store = store;
    readonly ILogger _logger = logger;

    /// <summary>The competition's follower, started if none is running; dispose the lease when the stream ends.</summary>
    public async Task<Lease> FollowAsync(string competition, CancellationToken ct)
    {
        competition = competition.ToUpperInvariant();
        Follower follower;
        lock (_followers)
        {
            if (!_followers.TryGetValue(competition, out follower!))
            {
                follower = new Follower(competition, this);
                _followers[competition] = follower;
            }
            follower.Leases++;
        }
        var lease = new Lease(follower);
        try
        {
            await follower.Started.WaitAsync(ct);
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    void Release(Follower follower)
    {
        lock (_followers)
        {
            if (--follower.Leases > 0)
            {
                return;
            }
            _followers.Remove(follower.Competition);
        }
        follower.Stop();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>A stream's hold on its competition's follower.</summary>
    public sealed class Lease(Follower follower) : IDisposable
    {
        int _disposed;

        /// <summary>
        /// The events after <paramref name="after"/> when memory holds all of them (an empty list: none yet; wait for
        /// <paramref name="changed"/>), or null when the stream must read the database first.
        /// </summary>
        public IReadOnlyList<FeedEvent>? After(long after, out Task changed) => follower.After(after, out changed);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                follower.Owner.Release(follower);
            }
        }
    }

    public sealed class Follower
    {
        /// <summary>Events kept in memory; older ones are read from the database by whoever still needs them.</summary>
        readonly RecentEvents _recent = new(2_000);
        readonly CancellationTokenSource _stop;
        readonly CancellationToken _stopped;
        TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal Follower(string competition, FeedFollowers owner)
        {
            Competition = competition;
            Owner = owner;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(owner._stopping.Token);
            _stopped = _stop.Token; // read once: the source is disposed when the follower stops
            Started = Task.Run(StartAsync); // not under the owner's lock
        }

        internal string Competition { get; }

        internal FeedFollowers Owner { get; }

        /// <summary>Leases held; guarded by the owner's lock.</summary>
        internal int Leases { get; set; }

        /// <summary>Done once the follower knows the last stored id: every event after it will be in memory.</summary>
        internal Task Started { get; }

        async Task StartAsync()
        {
            _recent.StartAfter(await Owner._store.LastIdAsync(Competition, _stopped));
            _ = Task.Run(RunAsync);
        }

        internal IReadOnlyList<FeedEvent>? After(long after, out Task changed)
        {
            lock (_recent)
            {
                changed = _changed.Task;
                return _recent.After(after);
            }
        }

        async Task RunAsync()
        {
            var ct = _stopped;
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    long last;
                    lock (_recent)
                    {
                        last = _recent.Last;
                    }
                    var batch = await Owner._store.ReadAsync(Competition, last, 500, ct);
                    if (batch.Count > 0)
                    {
                        Append(batch);
                        continue; // there may be more
                    }
                    await Task.Delay(Poll, ct);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // The database is away: the streams keep their connections (with heartbeats) and get the events
                    // once it is back.
                    Owner._logger.LogWarning(e, "The results feed of {Competition} could not read new events; trying again", Competition);
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }

        void Append(IReadOnlyList<FeedEvent> batch)
        {
            TaskCompletionSource changed;
            lock (_recent)
            {
                _recent.Append(batch);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.SetResult();
        }

        internal void Stop()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}

/// <summary>
/// The latest events of one competition, consecutive by id: every event after <see cref="Base"/> up to <see cref="Last"/>.
/// Past <c>kept</c> events the older half is let go and <see cref="Base"/> moves up. Not thread-safe.
/// </summary>
public sealed class RecentEvents(int kept)
{
    readonly List<FeedEvent> _events = [];

    /// <summary>Every event after this id is held (up to <see cref="Last"/>).</summary>
    public long Base { get; private set; }

    public long Last { get; private set; }

    /// <summary>Starts empty after the competition's last stored id.</summary>
    public void StartAfter(long id)
    {
        _events.Clear();
        Base = Last = id;
    }

    /// <summary>Adds the events that follow <see cref="Last"/> (read in id order, so consecutive).</summary>
    public void Append(IReadOnlyList<FeedEvent> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        if (batch[0].Id != Last + 1)
        {
            // Not expected (ids are never skipped), but then what is held no longer reaches back: whoever is behind
            // reads the database.
            _events.Clear();
            Base = batch[0].Id - 1;
        }
        _events.AddRange(batch);
        Last = batch[^1].Id;
        if (_events.Count > kept)
        {
            var drop = _events.Count - kept / 2;
            Base = _events[drop - 1].Id;
            _events.RemoveRange(0, drop);
        }
    }

    /// <summary>The events after <paramref name="after"/> (empty: none yet), or null when some of them are no longer held.</summary>
    public IReadOnlyList<FeedEvent>? After(long after)
    {
        if (after < Base)
        {
            return null;
        }
        // Ids are consecutive, so the first event after `after` sits at a known index.
        var skip = (int)Math.Min(after - Base, _events.Count);
        return skip == _events.Count ? [] : _events.GetRange(skip, _events.Count - skip);
    }
}
