using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>The grouping behind group commit and the shared tablet checks (Storage/GroupQueue.cs), on its own.</summary>
public sealed class GroupQueueTests
{
    sealed record Item(int Number) : IGroupItem
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception error) => Done.TrySetException(error);
    }

    [Fact]
    public async Task ItemsQueuedWhileAGroupIsInFlight_GoTogether_NeverMoreThanTheMaximum()
    {
        var groups = new List<int[]>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var queue = new GroupQueue<Item>(async group =>
        {
            lock (groups)
            {
                groups.Add(group.Select(i => i.Number).ToArray());
            }
            await release.Task;
            group.ForEach(i => i.Done.SetResult());
        }, maxGroup: 4, concurrency: 1);

        var first = new Item(0);
        Assert.True(queue.TryEnqueue(first));
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(groups.Count == 1), TimeSpan.FromSeconds(10)));
        var rest = Enumerable.Range(1, 10).Select(n => new Item(n)).ToList();
        rest.ForEach(i => Assert.True(queue.TryEnqueue(i)));
        release.SetResult();
        await Task.WhenAll(rest.Prepend(first).Select(i => i.Done.Task));

        Assert.Equal([[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]], groups);
    }

    [Fact]
    public async Task AFlushThatThrows_FailsEveryItemOfItsGroup_AndTheQueueGoesOn()
    {
        await using var queue = new GroupQueue<Item>(group =>
        {
            if (group.Any(i => i.Number < 0))
            {
                throw new InvalidOperationException("database gone");
            }
            group.ForEach(i => i.Done.SetResult());
            return Task.CompletedTask;
        }, maxGroup: 8, concurrency: 2);

        var failing = new Item(-1);
        Assert.True(queue.TryEnqueue(failing));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Done.Task);
        Assert.Equal("database gone", error.Message);

        var later = new Item(1);
        Assert.True(queue.TryEnqueue(later));
        await later.Done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AfterDispose_QueuedItemsWereFlushed_AndNewOnesAreRefused()
    {
        var flushed = 0;
        var queue = new GroupQueue<Item>(group =>
        {
            Interlocked.Add(ref flushed, group.Count);
            group.ForEach(i => i.Done.SetResult());
            return Task.CompletedTask;
        }, maxGroup: 8, concurrency: 2);
        var items = Enumerable.Range(0, 20).Select(n => new Item(n)).ToList();
        items.ForEach(i => Assert.True(queue.TryEnqueue(i)));

        await queue.DisposeAsync();

        Assert.Equal(20, flushed);
        Assert.False(queue.TryEnqueue(new Item(99)));
    }
}
