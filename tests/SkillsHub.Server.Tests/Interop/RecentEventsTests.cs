using System.Text.Json.Nodes;
using SkillsHub.Server.Feed;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>The results feed's events in memory (docs/feed.md, "How it works"): what a follower hands to streams, and when it sends them to the database.</summary>
public sealed class RecentEventsTests
{
    static FeedEvent[] Events(long from, long to) =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => new FeedEvent(i, "standings", 7, DateTimeOffset.UnixEpoch, new JsonObject()))];

    static long[] Ids(IReadOnlyList<FeedEvent>? events) => [.. events!.Select(e => e.Id)];

    [Fact]
    public void AStreamCaughtUp_GetsWhatFollows_AndOneFurtherBack_ReadsTheDatabase()
    {
        var recent = new RecentEvents(10);
        recent.StartAfter(4);
        Assert.Null(recent.After(0));
        Assert.Null(recent.After(3));
        Assert.Empty(recent.After(4)!);
        Assert.Empty(recent.After(1_000)!);

        recent.Append(Events(5, 7));
        Assert.Equal([5, 6, 7], Ids(recent.After(4)));
        Assert.Equal([7], Ids(recent.After(6)));
        Assert.Empty(recent.After(7)!);
        Assert.Equal(7, recent.Last);
    }

    [Fact]
    public void PastItsSize_ItLetsTheOlderHalfGo()
    {
        var recent = new RecentEvents(10);
        recent.StartAfter(0);
        recent.Append(Events(1, 8));
        recent.Append(Events(9, 11));
        Assert.Equal(6, recent.Base);
        Assert.Null(recent.After(5));
        Assert.Equal([7, 8, 9, 10, 11], Ids(recent.After(6)));
        Assert.Equal([11], Ids(recent.After(10)));
    }

    [Fact]
    public void EventsThatDoNotFollow_StartTheWindowAgain()
    {
        var recent = new RecentEvents(10);
        recent.StartAfter(3);
        recent.Append(Events(6, 7));
        Assert.Equal(5, recent.Base);
        Assert.Null(recent.After(3));
        Assert.Equal([6, 7], Ids(recent.After(5)));
    }
}
