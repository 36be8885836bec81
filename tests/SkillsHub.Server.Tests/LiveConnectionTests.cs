using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Abstractions;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

/// <summary>
/// A hub connection ends when the session or tablet token that opened it ends (docs/security.md, "Live connections"):
/// real nodes, real SignalR clients. The tests share one node, each with a competition of its own; the two-node test
/// runs its own.
/// </summary>
[Collection(ServerCollection.Nodes)]
public sealed class LiveConnectionTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>
{
    const string Password = "correct horse battery staple";
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A leaderboard-hub client that records the standings it gets and whether the server closed it.</summary>
    sealed class Watcher : IAsyncDisposable
    {
        public required HubConnection Connection { get; init; }
        public ConcurrentQueue<Standings> Received { get; } = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Connects anonymously, with a bearer token, or with a session's cookies, and subscribes to the skill.</summary>
        public static async Task<Watcher> SubscribeAsync(SkillsHubNode node, string code, string? token = null, CookieContainer? cookies = null)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(node.BaseAddress, "/hubs/leaderboard"), o =>
                {
                    o.AccessTokenProvider = () => Task.FromResult(token);
                    o.Cookies = cookies ?? o.Cookies;
                })
                .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
                .Build();
            var watcher = new Watcher { Connection = connection };
            connection.On<Standings>("standings", watcher.Received.Enqueue);
            connection.Closed += _ =>
            {
                watcher.Closed.TrySetResult();
                return Task.CompletedTask;
            };
            await connection.StartAsync();
            await connection.InvokeAsync<Standings>("Subscribe", code, MarkingScenario.Skill);
            return watcher;
        }

        public Task<bool> GotAsync(string competitor, decimal raw) =>
            TestNode.EventuallyAsync(() => Task.FromResult(Received.Any(s => RawOf(s, competitor) == raw)), Deadline);

        public async Task<bool> ClosedAsync()
        {
            await Task.WhenAny(Closed.Task, Task.Delay(Deadline));
            return Closed.Task.IsCompleted;
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    static decimal RawOf(Standings s, string competitor) => s.Rows.FirstOrDefault(r => r.CompetitorId == competitor)?.Raw ?? -1;

    static string TokenOf(HttpClient tablet) => tablet.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>A new session of the account, on <paramref name="node"/>: the client and the cookies that carry it.</summary>
    static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(SkillsHubNode node, string user)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = node.BaseAddress };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("antiforgeryToken").GetString());
        return (client, cookies);
    }

    static async Task<HttpResponseMessage> RevokeChiefTabletAsync(MarkingScenario scenario)
    {
        var devices = await scenario.Organiser.GetFromJsonAsync<List<Security.DeviceStore.DeviceView>>($"{scenario.Path}/devices");
        var chief = devices!.Single(d => d.ExpertId == "E-DE" && d.RevokedAt is null);
        return await scenario.Organiser.PostAsJsonAsync($"{scenario.Path}/devices/{chief.Id}/revoke", new { reason = "tablet lost" });
    }

    [Fact]
    public async Task RevokingATablet_EndsItsHubConnection_WhileOthersKeepReceiving()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        Assert.Equal(HttpStatusCode.OK, (await scenario.Organiser.PutAsJsonAsync($"{scenario.Path}/visibility", new { mode = "Hidden" })).StatusCode);
        await using var chief = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, TokenOf(scenario.Experts["E-DE"]));
        var (_, cookies) = await SignInAsync(scenario.Node, scenario.OrganiserName);
        await using var organiser = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, cookies: cookies);
        await using var spectator = await Watcher.SubscribeAsync(scenario.Node, scenario.Code);
        await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "live-1", new { aspectId = "A1.1", achieved = true });
        Assert.True(await chief.GotAsync("KR-07", 40m), "the Chief Expert's tablet follows the hidden skill's live standings");

        Assert.Equal(HttpStatusCode.NoContent, (await RevokeChiefTabletAsync(scenario)).StatusCode);

        Assert.True(await chief.ClosedAsync(), "the revoked tablet's connection was not closed");
        await scenario.MarkAsync(scenario.Experts["E-FR"], "CN-07", "live-2", new { aspectId = "A1.1", achieved = true });
        Assert.True(await organiser.GotAsync("CN-07", 40m), "the organiser's connection (another credential) keeps receiving");
        Assert.DoesNotContain(chief.Received, s => RawOf(s, "CN-07") > 0);
        Assert.Equal(HubConnectionState.Connected, spectator.Connection.State);
    }

    [Fact]
    public async Task AChiefExpertMadeAPlainExpert_LosesTheTabletsLiveConnection()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        await using var chief = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, TokenOf(scenario.Experts["E-DE"]));

        var roster = MarkingScenario.ExpertsCsv.Replace("E-DE,DE,Anna Schmidt,Chief Expert", "E-DE,DE,Anna Schmidt,Expert");
        var put = await scenario.Organiser.PutAsync($"{scenario.Path}/experts", new StringContent(roster, System.Text.Encoding.UTF8, "text/csv"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        Assert.True(await chief.ClosedAsync(), "the tablet of an expert who is no longer Chief Expert still follows the live standings");
    }

    [Fact]
    public async Task SigningOut_EndsTheSessionsHubConnection_NotTheAccountsOtherSessions()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var (leaving, leavingCookies) = await SignInAsync(scenario.Node, scenario.OrganiserName);
        var (_, stayingCookies) = await SignInAsync(scenario.Node, scenario.OrganiserName);
        await using var signedOut = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, cookies: leavingCookies);
        await using var staying = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, cookies: stayingCookies);

        Assert.Equal(HttpStatusCode.NoContent, (await leaving.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.True(await signedOut.ClosedAsync(), "the signed-out session's connection was not closed");
        await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "out-1", new { aspectId = "A1.1", achieved = true });
        Assert.True(await staying.GotAsync("KR-07", 40m), "the account's other session keeps its connection");
        Assert.DoesNotContain(signedOut.Received, s => RawOf(s, "KR-07") > 0);
    }

    [Fact]
    public async Task SigningOutOrRevokingOnOneNode_EndsConnectionsOnAnother()
    {
        // Two nodes of its own on one database.
        var db = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(db);
        await using var b = await TestNode.StartAsync(db);
        var scenario = await MarkingScenario.CreateAsync(a, NodeFixture.NewCode());
        var (onA, cookies) = await SignInAsync(a, scenario.OrganiserName);
        // Both nodes listen on 127.0.0.1: the one cookie jar sends the session cookie to either.
        await using var organiserOnB = await Watcher.SubscribeAsync(b, scenario.Code, cookies: cookies);
        await using var chiefOnB = await Watcher.SubscribeAsync(b, scenario.Code, TokenOf(scenario.Experts["E-DE"]));

        Assert.Equal(HttpStatusCode.NoContent, (await onA.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await RevokeChiefTabletAsync(scenario)).StatusCode);

        Assert.True(await organiserOnB.ClosedAsync(), "the session signed out on A still feeds a connection on B");
        Assert.True(await chiefOnB.ClosedAsync(), "the tablet revoked on A still feeds a connection on B");
    }

    /// <summary>A personal API token of a new organiser account, made in its own cookie session.</summary>
    static async Task<(Guid Account, string Token)> OrganiserTokenAsync(SkillsHubNode node, string user)
    {
        var account = await node.Services.GetRequiredService<Security.AccountStore>().CreateAsync(user, user, Password, [Security.Roles.Organiser], null);
        var (session, _) = await SignInAsync(node, user);
        var created = await session.PostAsJsonAsync("/api/me/tokens", new { name = "hub script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (account.Id, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task SigningOutWithATabletOrAToken_RevokesIt_AndEndsItsConnection()
    {
        // Found by an outside tester: sign-out with a bearer credential answered 204 and ended nothing.
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var tablet = scenario.Experts["E-DE"];
        await using var chief = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, TokenOf(tablet));
        Assert.Equal(HttpStatusCode.NoContent, (await tablet.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.True(await chief.ClosedAsync(), "the signed-out tablet's connection was not closed");
        Assert.Equal(HttpStatusCode.Unauthorized, (await tablet.GetAsync("/api/me/assignment")).StatusCode);
        var devices = await scenario.Organiser.GetFromJsonAsync<List<Security.DeviceStore.DeviceView>>($"{scenario.Path}/devices");
        Assert.NotNull(devices!.Single(d => d.ExpertId == "E-DE").RevokedAt);

        var (_, token) = await OrganiserTokenAsync(scenario.Node, "script-out-" + scenario.Code.ToLowerInvariant());
        using var script = new HttpClient { BaseAddress = scenario.Node.BaseAddress };
        script.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await using var watching = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, token);
        Assert.Equal(HttpStatusCode.NoContent, (await script.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.True(await watching.ClosedAsync(), "the signed-out token's connection was not closed");
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ATokensConnection_EndsWhenItsAccountsRolesChange()
    {
        // Found by an outside tester: an organiser's token connection kept the hidden skill's live standings after an admin
        // made the account an agency officer (a request with the token already had the new roles).
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var (account, token) = await OrganiserTokenAsync(scenario.Node, "script-roles-" + scenario.Code.ToLowerInvariant());
        await using var watching = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, token);
        await using var unchanged = await Watcher.SubscribeAsync(scenario.Node, scenario.Code, (await OrganiserTokenAsync(scenario.Node, "script-same-" + scenario.Code.ToLowerInvariant())).Token);

        Assert.True(await scenario.Node.Services.GetRequiredService<Security.AccountStore>().SetRolesAsync(account, [Security.Roles.Admin], null, "test-admin"));

        Assert.True(await watching.ClosedAsync(), "the connection of a token whose account's roles changed was not closed");
        await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "roles-1", new { aspectId = "A1.1", achieved = true });
        Assert.True(await unchanged.GotAsync("KR-07", 40m), "another account's token connection keeps receiving");
    }
}
