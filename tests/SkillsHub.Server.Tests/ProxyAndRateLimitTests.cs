using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Security;
using Xunit.Abstractions;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Behind a trusted proxy each client has its own rate-limit bucket; signed-in accounts are counted by name,
/// paired tablets by their address; a hall pairs its tablets through one address while a code stays unguessable
/// (Hosting/ProxyRegistration.cs, Security/RateLimiting.cs, docs/deployment.md).
/// </summary>
[Collection(ServerCollection.Platform)]
public sealed partial class ProxyAndRateLimitTests(PostgresFixture postgres, ITestOutputHelper output)
{
    static async Task<HttpStatusCode> WrongLoginAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "nobody", password = "wrong password" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ForwardedFor_FromAKnownProxy_GivesEachClientItsOwnSignInBucket()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), "--Proxy:KnownProxies=127.0.0.1", "--Security:SignInPerMinute=3");
        using var proxy = node.Client();   // the tests connect from 127.0.0.1, as nginx on the same host does

        var clientA = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            // What nginx sends: whatever the client claimed, then the address it saw.
            clientA.Add(await WrongLoginAsync(proxy, "10.9.9.9, 203.0.113.10"));
        }
        var clientB = await WrongLoginAsync(proxy, "203.0.113.20");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], clientA);
        Assert.Equal(HttpStatusCode.Unauthorized, clientB);
        // The spoofed left-most entry was not believed: only the proxy's own entry counts (Proxy:ForwardLimit 1).
        Assert.Equal(HttpStatusCode.TooManyRequests, await WrongLoginAsync(proxy, "203.0.113.20, 203.0.113.10"));
    }

    [Fact]
    public async Task ForwardedFor_FromAnAddressThatIsNotAKnownProxy_IsIgnored()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), "--Proxy:KnownNetworks=192.0.2.0/24", "--Security:SignInPerMinute=3");
        using var client = node.Client();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await WrongLoginAsync(client, $"203.0.113.{i + 1}"));
        }

        // Each request claimed another address; none was believed, so all share the connection's bucket.
        Assert.Equal(HttpStatusCode.TooManyRequests, await WrongLoginAsync(client, "203.0.113.99"));

        // The refusal is a problem like any other: a stable code and the trace id beside Retry-After (docs/pages.md, "Languages").
        using var refused = await client.PostAsync("/api/auth/login", JsonContent.Create(new { userName = "nobody", password = "wrong password" }));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("too-many-requests", (string?)problem["code"]);
        Assert.Equal(429, (int?)problem["status"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["traceId"]));
        Assert.Equal(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), (int?)problem["retryAfter"]);
    }

    /// <summary>
    /// Found by an outside tester: sign-in was counted per signed-in account, so each session or token one person held
    /// added 20 guesses a minute at someone else's password. Sign-in is counted by address, whoever asks.
    /// </summary>
    [Fact]
    public async Task SignIn_IsCountedByAddress_WhateverAccountTheCallerIsSignedInAs()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), "--Security:SignInPerMinute=3");
        using var signedIn = await MarkingScenario.SignInAsync(node, "guesser", [Roles.Organiser]);   // the first of three
        using var anonymous = node.Client();

        Assert.Equal(HttpStatusCode.Unauthorized, await WrongLoginAsync(anonymous, "127.0.0.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await WrongLoginAsync(anonymous, "127.0.0.1"));
        // The address's three are spent: the signed-in caller gets no bucket of its own.
        Assert.Equal(HttpStatusCode.TooManyRequests, await WrongLoginAsync(signedIn, "127.0.0.1"));
    }

    [Fact]
    public async Task SignedInAccounts_AreCountedByName_WhilePairedTabletsCountAsTheirAddress()
    {
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), "--Certification:Lookup:PermitLimit=2");
        var scenario = await MarkingScenario.CreateAsync(node);
        using var otherOrganiser = await MarkingScenario.SignInAsync(node, "second-organiser", [Roles.Organiser]);
        const string lookup = "/api/certificates/S00003100000100000000001?t=x";
        async Task<HttpStatusCode[]> ThreeLookups(HttpClient http)
        {
            var codes = new HttpStatusCode[3];
            for (var i = 0; i < codes.Length; i++)
            {
                codes[i] = (await http.GetAsync(lookup)).StatusCode;
            }
            return codes;
        }

        var first = await ThreeLookups(scenario.Organiser);
        var second = await ThreeLookups(otherOrganiser);
        var tabletFr = await ThreeLookups(scenario.Experts["E-FR"]);
        var tabletCn = await ThreeLookups(scenario.Experts["E-CN"]);
        var anonymous = await ThreeLookups(scenario.Anonymous);

        // Every caller here is 127.0.0.1; each account still gets its own two lookups, then 429.
        foreach (var codes in new[] { first, second })
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, codes[0]);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, codes[1]);
            Assert.Equal(HttpStatusCode.TooManyRequests, codes[2]);
        }
        // Found by an outside tester: each tablet had a bucket of its own, and a Chief Expert can pair any number of
        // them. Tablets and anonymous callers of one address share its two lookups.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, tabletFr[0]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, tabletFr[1]);
        Assert.All(new[] { tabletFr[2], tabletCn[0], tabletCn[1], tabletCn[2], anonymous[0], anonymous[2] }, code => Assert.Equal(HttpStatusCode.TooManyRequests, code));
    }

    [Fact]
    public async Task Pairing_TwoHundredTabletsBehindOneAddress_PairInAMinute_WhileCodesStayOneUseLongAndLimited()
    {
        // The default limit, what a hall gets (test nodes otherwise lift it: all their tablets pair from 127.0.0.1).
        await using var node = await TestNode.StartAsync(await postgres.NewDatabaseAsync(), $"--Security:PairingPerMinute={SkillsHub.Server.Security.RateLimiting.DefaultPairingPerMinute}");
        // The limit is a fixed one-minute window that opens at the address's first attempt (the scenario's pairings).
        // The tablets of a hall pair at once, so the requests go side by side and the whole sequence fits in the window.
        var window = System.Diagnostics.Stopwatch.StartNew();
        var scenario = await MarkingScenario.CreateAsync(node);   // pairs its five experts' tablets: 5 of the minute's attempts
        var codes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var issued = await scenario.Organiser.PostAsJsonAsync($"{MarkingScenario.SkillPath}/pairing-codes", new { expertId = i % 2 == 0 ? "E-FR" : "E-CN" });
            return (string)JsonNode.Parse(await issued.Content.ReadAsStringAsync())!["code"]!;
        }));
        using var hall = node.Client();
        async Task<HttpStatusCode> RedeemAsync(string code) =>
            (await hall.PostAsJsonAsync("/api/pairing/redeem", new { code, deviceName = "hall tablet" })).StatusCode;

        var paired = await Task.WhenAll(codes.Select(RedeemAsync));
        Assert.All(paired, status => Assert.Equal(HttpStatusCode.OK, status));

        // One use: a redeemed code is refused like a wrong one.
        Assert.Equal(HttpStatusCode.BadRequest, await RedeemAsync(codes[0]));
        // Expiry: an expired code is refused.
        var late = (string)JsonNode.Parse(await (await scenario.Organiser.PostAsJsonAsync($"{MarkingScenario.SkillPath}/pairing-codes", new { expertId = "E-KR" })).Content.ReadAsStringAsync())!["code"]!;
        await using (var connection = await node.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync())
        await using (var expire = new Npgsql.NpgsqlCommand("update skillshub.pairing_codes set expires_at = now() - interval '1 second' where expert_id = 'E-KR' and used_at is null", connection))
        {
            Assert.Equal(1, await expire.ExecuteNonQueryAsync());
        }
        Assert.Equal(HttpStatusCode.BadRequest, await RedeemAsync(late));

        // Guessing from the same address runs into the limit within the minute (5 + 200 + 2 attempts so far).
        var guesses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => RedeemAsync($"ZZZZZ-{i:00000}")));
        Assert.All(guesses, status => Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests, $"{status}"));
        if (window.Elapsed < TimeSpan.FromSeconds(55))
        {
            Assert.Equal(93, guesses.Count(s => s == HttpStatusCode.BadRequest));
            Assert.Equal(7, guesses.Count(s => s == HttpStatusCode.TooManyRequests));
        }
        else
        {
            // A machine so loaded that the sequence outlasted the window: the counts then depend on where the next
            // window began, so only the refusals above are certain.
            output.WriteLine($"The sequence took {window.Elapsed.TotalSeconds:F0} s, longer than the limit's window; its counts were not checked.");
        }

        // And a code is long enough that the minute's attempts over its 15-minute life find none.
        Assert.Matches(CodeShape(), codes[1]);
        Assert.True(DeviceStore.CodeBits >= 40, $"{DeviceStore.CodeBits:F1} bits");
    }

    [GeneratedRegex("^[A-HJ-KMNP-Z2-9]{5}-[A-HJ-KMNP-Z2-9]{5}$")]
    private static partial Regex CodeShape();
}
