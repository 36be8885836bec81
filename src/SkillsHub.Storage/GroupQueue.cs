using System.Threading.Channels;

namespace SkillsHub.Storage;

/// <summary>
/// Work for the database in groups: items queued while a group is in flight go together in the next one, so
/// under load many requests share one round trip (and one transaction), and alone an item goes at once with no
/// waiting for company. At most <paramref name="maxGroup"/> items per group and <paramref name="concurrency"/>
/// groups in flight. <paramref name="flush"/> completes the items of its group; when it throws, every item of the
/// group fails with that exception, so no caller waits forever (docs/scoring.md, "Durability"; docs/security.md,
/// "Sessions").
/// </summary>
public sealed class GroupQueue<T>(Func<List<T>, Task> flush, int maxGroup, int concurrency) : IAsyncDisposable
    where T : IGroupItem
{
    readonly Channel<T> _queue = Channel.CreateUnbounded<T>();
    Task[]? _loops;

    /// <summary>Queues the item; false when the queue was disposed (the node is stopping).</summary>
    public bool TryEnqueue(T item)
    {
        if (_loops is null)
        {
            lock (_queue)
            {
                _loops ??= Enumerable.Range(0, concurrency).Select(_ => Task.Run(LoopAsync)).ToArray();
            }
        }
        return _queue.Writer.TryWrite(item);
    }

    async Task LoopAsync()
    {
        var group = new List<T>(maxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < maxGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
            }
            if (group.Count > 0)
            {
                try
                {
                    await flush(group);
                }
                catch (Exception e)
                {
                    foreach (var item in group)
                    {
                        item.Fail(e);
                    }
                }
                group = new List<T>(maxGroup);
            }
        }
    }

    /// <summary>Flushes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loops is { } loops)
        {
            await Task.WhenAll(loops);
        }
    }
}

/// <summary>An item of a <see cref="GroupQueue{T}"/>: what its caller waits for, failed when its group's flush throws.</summary>
public interface IGroupItem
{
    /// <summary>Ends the caller's wait with <paramref name="error"/> (no effect when the item was already completed).</summary>
    void Fail(Exception error);
}
