using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

/// <summary>
/// A node caps its open connections below its file-descriptor limit (docs/operations.md, "Connection limits"):
/// spectators past the cap get 503 with Retry-After, and judges' requests still get through.
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class ConnectionLimitTests(ConnectionLimitTests.TwoSpectatorsNode shared) : IClassFixture<ConnectionLimitTests.TwoSpectatorsNode>
{
    public sealed class TwoSpectatorsNode(PostgresFixture postgres) : NodeFixture(postgres)
    {
        protected override string[] Arguments => ["--Connections:MaxSpectators=2"];
    }

    static HubConnection Spectator(SkillsHubNode node) => new HubConnectionBuilder()
        .WithUrl(new Uri(node.BaseAddress, "/hubs/leaderboard")).Build();

    [Fact]
    public async Task SpectatorsPastTheCap_Get503WithRetryAfter_AndOtherRequestsStillWork()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        await using var first = Spectator(shared.Node);
        await using var second = Spectator(shared.Node);
        await first.StartAsync();
        using var http = shared.Node.Client();
        // A phone that negotiated while there was room, and connects once the room is gone.
        var negotiated = await http.PostAsync("/hubs/leaderboard/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        Assert.True(negotiated.Headers.ConnectionClose, "a negotiation's connection closes: its descriptor is not left idle");
        using var token = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync());
        await second.StartAsync();
        using var late = new ClientWebSocket();
        var lateUri = new Uri($"ws://{shared.Node.BaseAddress.Authority}/hubs/leaderboard?id={token.RootElement.GetProperty("connectionToken").GetString()}");
        var lateRefused = await Assert.ThrowsAsync<WebSocketException>(() => late.ConnectAsync(lateUri, CancellationToken.None));
        Assert.Contains("'503'", lateRefused.Message);
        using var direct = new ClientWebSocket();
        var directRefused = await Assert.ThrowsAsync<WebSocketException>(() => direct.ConnectAsync(new Uri($"ws://{shared.Node.BaseAddress.Authority}/hubs/leaderboard"), CancellationToken.None));
        Assert.Contains("'503'", directRefused.Message);

        await using var third = Spectator(shared.Node);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => third.StartAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        var negotiate = await http.PostAsync("/hubs/leaderboard/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
        Assert.Equal("application/problem+json", negotiate.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(negotiate.Headers.RetryAfter);
        using var problem = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        Assert.Equal(ConnectionLimits.FullCode, problem.RootElement.GetProperty("code").GetString());

        // Judges and readers are not spectators: the room above the cap is theirs.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/competitions/{scenario.Code}/results")).StatusCode);
        Assert.True((await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "limit-1", new { aspectId = "A1.1", achieved = true })).IsSuccessStatusCode);

        // A spectator who leaves frees a place.
        await first.StopAsync();
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            try
            {
                await third.StartAsync();
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10)));
        Assert.Equal(HubConnectionState.Connected, third.State);
    }

    /// <summary>A results-feed stream holds its connection like a board does, so it takes a spectator's place.</summary>
    [Fact]
    public async Task FeedStreams_TakeSpectatorsPlaces()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        // The boards of another test of this class may still be leaving.
        var gate = shared.Node.Services.GetRequiredService<SpectatorGate>();
        Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(gate.Open == 0), TimeSpan.FromSeconds(10)));
        using var http = new HttpClient { BaseAddress = shared.Node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var feed = $"/api/competitions/{scenario.Code}/events";
        using var first = await http.GetAsync(feed, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await using var board = Spectator(shared.Node);
        await board.StartAsync();

        using var refused = await http.GetAsync(feed, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal(ConnectionLimits.FullCode, problem.RootElement.GetProperty("code").GetString());
        }
        await using var third = Spectator(shared.Node);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Assert.ThrowsAsync<HttpRequestException>(() => third.StartAsync())).StatusCode);

        // A follower who leaves frees the place.
        first.Dispose();
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            using var again = await http.GetAsync(feed, HttpCompletionOption.ResponseHeadersRead);
            return again.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(20_000, null, null, 18_000, 19_000)]
    [InlineData(1_024, null, null, 512, 768)]
    [InlineData(65_536, 5_000, null, 5_000, 64_536)]
    [InlineData(20_000, 50_000, 50_000, 18_000, 19_000)]
    [InlineData(20_000, 10_000, 8_000, 8_000, 8_000)]
    [InlineData(10, null, null, 4, 8)]
    public void Caps_LeaveRoomForTheProcessAndForRequests(long openFiles, int? spectators, int? total, int expectedSpectators, int expectedTotal)
    {
        var caps = ConnectionCaps.For(openFiles, spectators, total);
        Assert.Equal(new ConnectionCaps(expectedSpectators, expectedTotal), caps);
    }
}

/// <summary>
/// One client cannot take every spectator's place (an outside tester: one address held every place, and every other phone
/// and hall screen got 503): boards and feed streams count per client address as well (docs/operations.md).
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class SpectatorsPerClientTests(SpectatorsPerClientTests.TwoPerClientNode shared) : IClassFixture<SpectatorsPerClientTests.TwoPerClientNode>
{
    public sealed class TwoPerClientNode(PostgresFixture postgres) : NodeFixture(postgres)
    {
        protected override string[] Arguments => ["--Connections:MaxSpectators=10", "--Connections:MaxSpectatorsPerClient=2"];
    }

    /// <summary>A board from <paramref name="client"/> (the node trusts X-Forwarded-For from loopback, as from its proxy).</summary>
    HubConnection Board(string client) => new HubConnectionBuilder()
        .WithUrl(new Uri(shared.Node.BaseAddress, "/hubs/leaderboard"), o => o.Headers["X-Forwarded-For"] = client).Build();

    Task<HttpResponseMessage> Feed(HttpClient http, string code, string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/competitions/{code}/events");
        request.Headers.Add("X-Forwarded-For", client);
        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task OneClient_HoldsAtMostItsPlaces_OthersStillGetIn()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        using var http = new HttpClient { BaseAddress = shared.Node.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        const string greedy = "198.51.100.7", other = "198.51.100.8";
        await using var board = Board(greedy);
        await board.StartAsync();
        using var feed = await Feed(http, scenario.Code, greedy);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);

        // Its third place, a feed or a board, is refused as a full node's is (the board retries).
        using (var third = await Feed(http, scenario.Code, greedy))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
            Assert.NotNull(third.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(await third.Content.ReadAsStringAsync());
            Assert.Equal(ConnectionLimits.FullCode, problem.RootElement.GetProperty("code").GetString());
            // It says the client is at its cap, not the node (an outside tester: an operator would look in the wrong place).
            Assert.StartsWith("This address holds", problem.RootElement.GetProperty("detail").GetString());
        }
        await using (var another = Board(greedy))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => another.StartAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        // Another client still gets in, to both.
        await using var theirs = Board(other);
        await theirs.StartAsync();
        using (var theirFeed = await Feed(http, scenario.Code, other))
        {
            Assert.Equal(HttpStatusCode.OK, theirFeed.StatusCode);
        }

        // A place the client gives up is its own again.
        feed.Dispose();
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            using var again = await Feed(http, scenario.Code, greedy);
            return again.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Found by an outside tester: WebSockets that never send SignalR's handshake were counted nowhere for the 15 s the hub
    /// waits, and one client held 2,380 of them past its cap of 1,800. A WebSocket holds its place from its upgrade.
    /// </summary>
    [Fact]
    public async Task WebSocketsThatNeverHandshake_HoldTheirClientsPlaces()
    {
        const string idle = "198.51.100.9";
        var uri = new Uri($"ws://{shared.Node.BaseAddress.Authority}/hubs/leaderboard");
        ClientWebSocket Socket()
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("X-Forwarded-For", idle);
            return socket;
        }
        using var first = Socket();
        using var second = Socket();
        await first.ConnectAsync(uri, CancellationToken.None);
        await second.ConnectAsync(uri, CancellationToken.None);
        using var third = Socket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(uri, CancellationToken.None));
        Assert.Contains("'503'", refused.Message);
        await using (var board = Board(idle))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Assert.ThrowsAsync<HttpRequestException>(() => board.StartAsync())).StatusCode);
        }

        // Closed, the sockets give their places back, and a board of the client connects (its WebSocket counted once).
        first.Abort();
        second.Abort();
        await using var later = Board(idle);
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            try
            {
                await later.StartAsync();
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10)));
        await using var another = Board(idle);
        await another.StartAsync();
        await using var tooMany = Board(idle);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Assert.ThrowsAsync<HttpRequestException>(() => tooMany.StartAsync())).StatusCode);
    }
}
