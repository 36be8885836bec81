using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using Dapper;
using Npgsql;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Server-side sessions and account administration (docs/security.md), through the real server. The tests share
/// one node, each with accounts (and a competition) of its own; the two-node test runs its own.
/// </summary>
[Collection(ServerCollection.Nodes)]
public sealed class SessionTests(PostgresFixture postgres, NodeFixture shared) : IClassFixture<NodeFixture>
{
    const string Password = "correct horse battery staple";

    /// <summary>This test's own account names, so tests sharing the node never touch each other's accounts.</summary>
    readonly string _id = NodeFixture.NewCode("U").ToLowerInvariant();

    string AdminName => "admin-" + _id;

    string OrganiserName => "organiser-" + _id;

    static async Task<(HttpClient Client, CookieContainer Cookies)> SignIn(Uri node, string user, string password = Password, CookieContainer? cookies = null)
    {
        cookies ??= new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = node };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("antiforgeryToken").GetString());
        return (client, cookies);
    }

    static async Task<Guid> CreateAccount(Hosting.SkillsHubNode node, string user, params string[] roles) =>
        (await node.Services.GetRequiredService<AccountStore>().CreateAsync(user, user, Password, roles, null)).Id;

    /// <summary>This test's admin account, created and signed in.</summary>
    async Task<(Guid Id, HttpClient Client)> AdminAsync(Hosting.SkillsHubNode node)
    {
        var id = await CreateAccount(node, AdminName, Roles.Admin);
        var (admin, _) = await SignIn(node.BaseAddress, AdminName);
        return (id, admin);
    }

    static Task<HttpResponseMessage> CreateCompetition(HttpClient client, string code) =>
        client.PostAsJsonAsync("/api/competitions", new { code, name = "Test " + code, city = "Lyon", country = "FR" });

    [Fact]
    public async Task SignOut_EndsTheSession_OnEveryNode()
    {
        // Two nodes of its own.
        var db = await postgres.NewDatabaseAsync();
        await using var a = await TestNode.StartAsync(db);
        await using var b = await TestNode.StartAsync(db);
        await CreateAccount(a, "organiser", Roles.Organiser);
        var (onA, cookies) = await SignIn(a.BaseAddress, "organiser");
        // Both nodes listen on 127.0.0.1: the one cookie jar sends the session cookie to either.
        using var onB = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = b.BaseAddress };
        onB.DefaultRequestHeaders.Add("X-XSRF-TOKEN", onA.DefaultRequestHeaders.GetValues("X-XSRF-TOKEN"));
        var stolen = cookies.GetCookieHeader(a.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await onA.PostAsync("/api/auth/logout", null)).StatusCode);

        // The old cookie, replayed as it was before sign-out, is refused on both nodes, and cannot change anything.
        foreach (var node in new[] { a, b })
        {
            using var replay = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = node.BaseAddress };
            replay.DefaultRequestHeaders.Add("Cookie", stolen);
            replay.DefaultRequestHeaders.Add("X-XSRF-TOKEN", onA.DefaultRequestHeaders.GetValues("X-XSRF-TOKEN"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/auth/me")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await CreateCompetition(replay, "WSX2031")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client().GetAsync("/api/competitions/WSX2031")).StatusCode);
    }

    [Fact]
    public async Task DisablingAnAccount_ChangingItsRoles_OrItsPassword_EndsItsSessions()
    {
        var node = shared.Node;
        var organiserId = await CreateAccount(node, OrganiserName, Roles.Organiser);
        var (_, admin) = await AdminAsync(node);

        // Disabled: the live session stops at its next request; enabled again, the old session stays ended.
        var (organiser, _) = await SignIn(node.BaseAddress, OrganiserName);
        Assert.Equal(HttpStatusCode.Created, (await CreateCompetition(organiser, NodeFixture.NewCode())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/accounts/{organiserId}/disable", new { reason = "left the team" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CreateCompetition(organiser, NodeFixture.NewCode())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await organiser.PostAsJsonAsync("/api/auth/login", new { userName = OrganiserName, password = Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/accounts/{organiserId}/enable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await organiser.GetAsync("/api/auth/me")).StatusCode);

        // Roles changed: the session ends; the next sign-in carries the new roles.
        (organiser, _) = await SignIn(node.BaseAddress, OrganiserName);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/accounts/{organiserId}/roles", new { roles = new[] { Roles.Organiser, Roles.Admin } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await organiser.GetAsync("/api/auth/me")).StatusCode);
        (organiser, _) = await SignIn(node.BaseAddress, OrganiserName);
        Assert.Contains(Roles.Admin, (await organiser.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // The same roles again (in another order) change nothing: the session goes on, and nothing is audited. A role
        // given twice is refused (found by an outside tester: stored twice, and every session ended).
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/accounts/{organiserId}/roles", new { roles = new[] { Roles.Admin, Roles.Organiser } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync("/api/auth/me")).StatusCode);
        var twice = await admin.PutAsJsonAsync($"/api/accounts/{organiserId}/roles", new { roles = new[] { Roles.Admin, Roles.Admin } });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("roles", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync("/api/auth/me")).StatusCode);

        // Password changed by the user: the other session ends too.
        var (second, _) = await SignIn(node.BaseAddress, OrganiserName);
        var change = await organiser.PostAsJsonAsync("/api/auth/password", new { userName = OrganiserName, password = Password, newPassword = "a brand new password" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organiser.GetAsync("/api/auth/me")).StatusCode);

        var audit = await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit");
        Assert.Equal(["password.change", "account.roles", "account.enable", "account.disable"],
            audit!.Where(e => e.Target == OrganiserName).Select(e => e.Action).ToList());
        Assert.Equal(AdminName, audit!.First(e => e.Action == "account.disable" && e.Target == OrganiserName).Actor);

        // Paged back from the newest, so no entry is ever out of reach (an outside tester: only the newest 200 were).
        var firstPage = (await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit?limit=2"))!;
        Assert.Equal(audit!.Take(2).Select(e => e.Id), firstPage.Select(e => e.Id));
        var nextPage = (await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>($"/api/security-audit?limit=2&before={firstPage[^1].Id}"))!;
        Assert.Equal(audit!.Skip(2).Take(2).Select(e => e.Id), nextPage.Select(e => e.Id));
        foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=two", "limit"), ("before=0", "before"), ("before=abc", "before") })
        {
            var refused = await admin.GetAsync($"/api/security-audit?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
        // An optional value that is not of its type (a Guid here) names itself too (Platform/OptionalValueCheck.cs).
        var notAnId = await admin.GetAsync("/api/sessions?accountId=nobody");
        Assert.Equal(HttpStatusCode.BadRequest, notAnId.StatusCode);
        Assert.Equal("accountId", (await notAnId.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    /// <summary>
    /// Found by an outside tester: a Chief Expert could issue a code for another expert, redeem it on a tablet of their
    /// own and mark as that expert, with no record of who did. Issuing and redeeming are on the security audit.
    /// </summary>
    [Fact]
    public async Task PairingCodes_WhoIssuedThemAndWhichTabletRedeemedThem_AreAudited()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var (_, admin) = await AdminAsync(node);
        var audit = (await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit"))!
            .Where(e => e.Actor == scenario.OrganiserName).ToList();
        Assert.Contains(audit, e => e.Action == "pairing.issue" && e.Target == "E-FR" && e.Detail == $"{scenario.Code}/7");
        var paired = Assert.Single(audit, e => e.Action == "device.pair" && e.Target == "E-FR");
        Assert.Contains($"issued by {scenario.OrganiserName}", paired.Detail);

        // The name the tablet chose is quoted so that it cannot end its quote (found by an outside tester: a name with a
        // single quote wrote a second sentence, naming another issuer, into the detail).
        var code = await (await scenario.Organiser.PostAsJsonAsync($"{scenario.Path}/pairing-codes", new { expertId = "E-JP" })).Content.ReadFromJsonAsync<MarkingScenario.PairingCode>();
        const string Forged = "tab' redeemed a code issued by someone \"else\" \\";
        Assert.Equal(HttpStatusCode.OK, (await node.Client().PostAsJsonAsync("/api/pairing/redeem", new { code = code!.Code, deviceName = Forged })).StatusCode);
        var forged = Assert.Single((await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit"))!,
            e => e.Actor == scenario.OrganiserName && e.Action == "device.pair" && e.Target == "E-JP" && e.Detail?.Contains("someone", StringComparison.Ordinal) == true);
        Assert.Matches($@"^{scenario.Code}/7: device [0-9a-f-]{{36}} ""tab' redeemed a code issued by someone \\""else\\"" \\\\"" redeemed a code issued by {scenario.OrganiserName}$", forged.Detail);
    }

    /// <summary>
    /// Found by an outside tester: the session list showed a sign-in's User-Agent as sent, so a right-to-left override
    /// turned the rest of the cell around ("gnp.exe" read "exe.png") and control characters reached the page. It is kept
    /// safe to show (TextInput.Displayable), at most 200 characters.
    /// </summary>
    [Fact]
    public async Task ASignInsUserAgent_IsKeptSafeToShow()
    {
        var node = shared.Node;
        var (_, admin) = await AdminAsync(node);
        var user = "agent-" + _id;
        await CreateAccount(node, user, Roles.Organiser);
        using var client = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.True(client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Odd\u001b[31mAgent\u0007 " + new string('A', 300)));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = Password })).StatusCode);
        var session = Assert.Single((await admin.GetFromJsonAsync<List<SessionStore.SessionView>>("/api/sessions"))!, s => s.UserName == user);
        Assert.Equal(("Odd\uFFFD[31mAgent\uFFFD " + new string('A', 300))[..200], session.Client);
    }

    /// <summary>
    /// Found by an outside tester: a code issued from a stolen Chief Expert's tablet paired a new tablet after the stolen
    /// one was revoked, and a code an organiser issued paired a tablet after the organiser was disabled (docs/security.md,
    /// "Roles", pairing codes).
    /// </summary>
    [Fact]
    public async Task APairingCode_DiesWithTheCredentialThatIssuedIt()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var (_, admin) = await AdminAsync(node);
        async Task<string> Issue(HttpClient issuer, string expertId)
        {
            var issued = await issuer.PostAsJsonAsync($"{scenario.Path}/pairing-codes", new { expertId });
            Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
            return (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        }
        async Task<HttpStatusCode> Redeem(string code) =>
            (await node.Client().PostAsJsonAsync("/api/pairing/redeem", new { code, deviceName = "another tablet" })).StatusCode;

        // The Chief Expert's tablet issues a code for a second tablet of their own; the tablet is revoked (stolen).
        var fromTablet = await Issue(scenario.Experts["E-DE"], "E-DE");
        var chiefTablet = (await admin.GetFromJsonAsync<List<DeviceStore.ActiveDevice>>("/api/devices"))!.Single(d => d.CompetitionCode == scenario.Code && d.ExpertId == "E-DE");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/devices/{chiefTablet.Id}/revoke", new { reason = "stolen" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await Redeem(fromTablet));

        // Organisers' codes end with what ends the organiser's sessions: disabled (and not back when enabled again), roles
        // changed, password reset, password changed.
        var ends = new (string Name, Func<Guid, string, Task> End)[]
        {
            ("disabled", async (id, _) =>
            {
                Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/accounts/{id}/disable", new { reason = "left" })).StatusCode);
                Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/accounts/{id}/enable", null)).StatusCode);
            }),
            ("roles", async (id, _) => Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/accounts/{id}/roles", new { roles = new[] { Roles.Admin } })).StatusCode)),
            ("reset", async (id, _) => Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/accounts/{id}/reset-password", null)).StatusCode)),
            ("changed", async (_, user) =>
            {
                var (client, _) = await SignIn(node.BaseAddress, user);
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/password", new { userName = user, password = Password, newPassword = "a brand new password" })).StatusCode);
            }),
        };
        foreach (var (name, end) in ends)
        {
            var user = $"org-{name}-{_id}";
            var id = await CreateAccount(node, user, Roles.Organiser);
            var (organiser, _) = await SignIn(node.BaseAddress, user);
            var code = await Issue(organiser, "E-FR");
            await end(id, user);
            Assert.True(await Redeem(code) == HttpStatusCode.BadRequest, name);
        }

        // A code issued with one API token or in one session ends with that token or session (an outside tester: a stolen
        // token's code paired a tablet after the token was revoked), not with the account's other sessions.
        var one = $"org-one-{_id}";
        var oneId = await CreateAccount(node, one, Roles.Organiser);
        var (first, _) = await SignIn(node.BaseAddress, one);
        var (second, _) = await SignIn(node.BaseAddress, one);
        var created = await (await first.PostAsJsonAsync("/api/me/tokens", new { name = "scripts" })).Content.ReadFromJsonAsync<JsonElement>();
        using var bearer = node.Client();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.GetProperty("token").GetString());
        var withToken = await Issue(bearer, "E-FR");
        var inFirst = await Issue(first, "E-FR");
        var inSecond = await Issue(second, "E-FR");
        Assert.Equal(HttpStatusCode.NoContent, (await first.PostAsync($"/api/me/tokens/{created.GetProperty("id").GetString()}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await Redeem(withToken));

        // So does one issued with a token that has since expired (found by an outside tester: it paired a tablet after the
        // token had ended), and its issuer sees it void. The token's end is moved into the past rather than waited for.
        var shortLived = await (await first.PostAsJsonAsync("/api/me/tokens", new { name = "short", expiresAt = DateTimeOffset.UtcNow.AddHours(1) })).Content.ReadFromJsonAsync<JsonElement>();
        using var expiring = node.Client();
        expiring.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", shortLived.GetProperty("token").GetString());
        var withExpired = await Issue(expiring, "E-FR");
        await using (var connection = new NpgsqlConnection(shared.Database))
        {
            await connection.ExecuteAsync("update skillshub.api_tokens set expires_at = now() - interval '1 second' where id = @id",
                new { id = Guid.Parse(shortLived.GetProperty("id").GetString()!) });
        }
        var expiredStates = await (await first.PostAsJsonAsync($"{scenario.Path}/pairing-codes/status", new { codes = new[] { withExpired } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("void", expiredStates[0].GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, await Redeem(withExpired));
        Assert.Equal(HttpStatusCode.NoContent, (await first.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await Redeem(inFirst));
        var signedOutOwnToken = await Issue(second, "E-KR");
        var secondSession = Assert.Single((await admin.GetFromJsonAsync<List<SessionStore.SessionView>>("/api/sessions"))!, x => x.AccountId == oneId);
        Assert.Equal(HttpStatusCode.OK, await Redeem(inSecond));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/sessions/{secondSession.Id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, await Redeem(signedOutOwnToken));

        // What others issued is untouched: the scenario's organiser's code pairs. Its issuer sees which of its codes a
        // tablet used (an outside tester: the console guessed it from the expert and marked another code as used).
        var used = await Issue(scenario.Organiser, "E-KR");
        var waiting = await Issue(scenario.Organiser, "E-KR");
        Assert.Equal(HttpStatusCode.OK, await Redeem(used));
        var states = await (await scenario.Organiser.PostAsJsonAsync($"{scenario.Path}/pairing-codes/status", new { codes = new[] { used, waiting.ToLowerInvariant(), fromTablet, "ZZZZZ-ZZZZZ" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["used:another tablet", "waiting:", "void:", "void:"],
            states.EnumerateArray().Select(e => $"{e.GetProperty("state").GetString()}:{e.GetProperty("deviceName").GetString()}"));
        // Only its issuer: to anyone else a live code is "void", like an unknown one, so the status is no faster oracle for
        // guessing codes than redeeming (an outside tester: 3,000 codes checked in a second from a Chief Expert's tablet).
        var othersView = await (await admin.PostAsJsonAsync($"{scenario.Path}/pairing-codes/status", new { codes = new[] { used, waiting } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["void", "void"], othersView.EnumerateArray().Select(e => e.GetProperty("state").GetString()));
        var none = await scenario.Organiser.PostAsJsonAsync($"{scenario.Path}/pairing-codes/status", new { codes = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.True((await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("codes", out _));
        var audit = (await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit"))!;
        Assert.Contains(audit, e => e.Action == "pairing.revoke" && e.Target == $"{scenario.Code}/7/E-DE" && e.Detail!.Contains($"issued by device {chiefTablet.Id}: stolen"));
        Assert.Equal(4, audit.Count(e => e.Action == "pairing.revoke" && e.Target.StartsWith("org-", StringComparison.Ordinal) && !e.Target.StartsWith("org-one-", StringComparison.Ordinal) && e.Target.EndsWith(_id, StringComparison.Ordinal)));
        Assert.Equal(["issued in session", "issued in session", "issued with API token"], audit.Where(e => e.Action == "pairing.revoke" && e.Target == one)
            .Select(e => System.Text.RegularExpressions.Regex.Match(e.Detail!, "issued (in session|with API token)").Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnAccount_HoldsAtMostFiftyLiveApiTokens_CountedUnderARace()
    {
        var node = shared.Node;
        var user = $"org-tokens-{_id}";
        await CreateAccount(node, user, Roles.Organiser);
        var (organiser, _) = await SignIn(node.BaseAddress, user);
        // 55 creations at once: the account's row lock counts each against the others, so exactly 50 are made.
        var answers = await Task.WhenAll(Enumerable.Range(0, ApiTokenStore.MaxLive + 5).Select(i => organiser.PostAsJsonAsync("/api/me/tokens", new { name = $"script {i}" })));
        Assert.Equal(ApiTokenStore.MaxLive, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(5, refused.Count);
        foreach (var answer in refused)
        {
            Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.Contains("revoke one", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        // A revoked token makes room for one more, and no more.
        var first = (await answers.First(a => a.StatusCode == HttpStatusCode.Created).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await organiser.PostAsync($"/api/me/tokens/{first}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await organiser.PostAsJsonAsync("/api/me/tokens", new { name = "replacement" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await organiser.PostAsJsonAsync("/api/me/tokens", new { name = "one too many" })).StatusCode);
        Assert.Equal(ApiTokenStore.MaxLive + 1, (await organiser.GetFromJsonAsync<List<ApiTokenStore.TokenView>>("/api/me/tokens"))!.Count);
    }

    [Fact]
    public async Task ResetPassword_GivesAOneTimePassword_ThatMustBeChangedAtSignIn()
    {
        var node = shared.Node;
        var organiserId = await CreateAccount(node, OrganiserName, Roles.Organiser);
        var (_, admin) = await AdminAsync(node);
        var (organiser, _) = await SignIn(node.BaseAddress, OrganiserName);
        // Found by an outside tester: a personal API token outlived the reset that answers a compromised password.
        var created = await organiser.PostAsJsonAsync("/api/me/tokens", new { name = "export script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var script = node.Client();
        script.DefaultRequestHeaders.Authorization = new("Bearer", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/auth/me")).StatusCode);

        var reset = await admin.PostAsync($"/api/accounts/{organiserId}/reset-password", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal("no-store", reset.Headers.CacheControl?.ToString());
        var oneTime = (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("password").GetString()!;
        Assert.Equal(15, oneTime.Length);
        Assert.Equal(HttpStatusCode.Unauthorized, (await organiser.GetAsync("/api/auth/me")).StatusCode);
        var listed = (await admin.GetFromJsonAsync<List<AccountStore.AccountView>>("/api/accounts"))!.Single(a => a.UserName == OrganiserName);
        Assert.True(listed.MustChangePassword);
        Assert.Equal(0, listed.ActiveSessions);

        // The old password no longer works; the one-time password alone does not sign in.
        using var anonymous = node.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = OrganiserName, password = Password })).StatusCode);
        var refused = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = OrganiserName, password = oneTime });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwordChangeRequired").GetBoolean());
        Assert.False(refused.Headers.Contains("Set-Cookie"));

        var changed = await anonymous.PostAsJsonAsync("/api/auth/password", new { userName = OrganiserName, password = oneTime, newPassword = "my own new password" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        // A current password that is wrong (here the spent one-time password) is bad input naming the field, not a 401 a
        // page would read as a session gone (found by an outside tester: the contract declared no 401 for it).
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/password", new { userName = OrganiserName, password = oneTime, newPassword = "another new passphrase" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var wrongProblem = await wrong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("password", "password-not-changed"), (wrongProblem.GetProperty("field").GetString(), wrongProblem.GetProperty("code").GetString()));
        Assert.True(wrongProblem.GetProperty("errors").TryGetProperty("password", out _));
        var (again, _) = await SignIn(node.BaseAddress, OrganiserName, "my own new password");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
        Assert.Contains((await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit"))!, e => e.Action == "password.reset" && e.Target == OrganiserName && e.Actor == AdminName);
    }

    /// <summary>
    /// Found by an outside tester: a sign-in without its password was refused naming userName. Each field left out or
    /// blank is named itself, every one of them when several are (docs/security.md, "Bad input").
    /// </summary>
    [Theory]
    [InlineData("/api/auth/login", """{"userName":"someone"}""", "password")]
    [InlineData("/api/auth/login", """{"userName":"someone","password":""}""", "password")]
    [InlineData("/api/auth/login", """{"password":"something long"}""", "userName")]
    [InlineData("/api/auth/login", """{"userName":" ","password":null}""", "userName,password")]
    [InlineData("/api/auth/login", "{}", "userName,password")]
    [InlineData("/api/auth/password", """{"userName":"someone","newPassword":"a new password 1"}""", "password")]
    [InlineData("/api/auth/password", """{"password":"old password 12","newPassword":"a new password 1"}""", "userName")]
    [InlineData("/api/auth/password", "{}", "userName,password,newPassword")]
    public async Task ASignInFormLeftIncomplete_NamesEachMissingField(string path, string body, string fields)
    {
        using var anonymous = shared.Node.Client();
        var response = await anonymous.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(fields.Split(',').Order(), problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    /// <summary>
    /// Found by an outside tester: the contract called a created account's password "one-time", and it was not. By
    /// default it still is not (a client that creates accounts and signs in with them keeps working); with
    /// mustChangePassword the first sign-in must replace it, as after a reset (docs/security.md).
    /// </summary>
    [Fact]
    public async Task CreatedAccount_WithMustChangePassword_ChangesItAtTheFirstSignIn_AndWithoutItSignsIn()
    {
        var node = shared.Node;
        var (_, admin) = await AdminAsync(node);
        var oneTimeName = "one-time-" + _id;
        var created = await admin.PostAsJsonAsync("/api/accounts", new { userName = oneTimeName, password = Password, roles = new[] { Roles.Organiser }, mustChangePassword = true });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((await created.Content.ReadFromJsonAsync<AccountStore.AccountView>())!.MustChangePassword);
        Assert.True((await admin.GetFromJsonAsync<List<AccountStore.AccountView>>("/api/accounts"))!.Single(a => a.UserName == oneTimeName).MustChangePassword);

        using var anonymous = node.Client();
        var refused = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = oneTimeName, password = Password });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("passwordChangeRequired").GetBoolean());
        Assert.False(refused.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/password", new { userName = oneTimeName, password = Password, newPassword = "my own new password" })).StatusCode);
        var (signedIn, _) = await SignIn(node.BaseAddress, oneTimeName, "my own new password");
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/auth/me")).StatusCode);
        Assert.False((await admin.GetFromJsonAsync<List<AccountStore.AccountView>>("/api/accounts"))!.Single(a => a.UserName == oneTimeName).MustChangePassword);

        // Left out (or false): the password the admin chose signs in as it is.
        var plainName = "plain-" + _id;
        // A role is an enum value, read in any case and stored in its own spelling (found by an outside tester: "organiser" was a 400).
        var plain = await admin.PostAsJsonAsync("/api/accounts", new { userName = plainName, password = Password, roles = new[] { "organiser" } });
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
        var plainView = (await plain.Content.ReadFromJsonAsync<AccountStore.AccountView>())!;
        Assert.False(plainView.MustChangePassword);
        Assert.Equal([Roles.Organiser], plainView.Roles);
        var (plainClient, _) = await SignIn(node.BaseAddress, plainName);
        Assert.Equal(HttpStatusCode.OK, (await plainClient.GetAsync("/api/auth/me")).StatusCode);
        // Not a boolean: a 400, and no account.
        var wrongType = await admin.PostAsJsonAsync("/api/accounts", new { userName = "bad-" + _id, password = Password, roles = new[] { Roles.Organiser }, mustChangePassword = "yes" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<AccountStore.AccountView>>("/api/accounts"))!, a => a.UserName == "bad-" + _id);
    }

    /// <summary>A tablet's assignment names its skill in both languages, as the skill's public answer does: the judge app's header shows it.</summary>
    [Fact]
    public async Task ATabletsAssignment_NamesItsSkill()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        var assignment = await scenario.Experts["E-FR"].GetFromJsonAsync<JsonElement>("/api/me/assignment");
        var skill = await scenario.Organiser.GetFromJsonAsync<JsonElement>(scenario.Path);
        Assert.False(string.IsNullOrEmpty(skill.GetProperty("name").GetString()));
        Assert.Equal(skill.GetProperty("name").GetString(), assignment.GetProperty("skillName").GetString());
        Assert.Equal(skill.GetProperty("nameZh").GetString(), assignment.GetProperty("skillNameZh").GetString());
    }

    /// <summary>
    /// An expert's own sheet says which measurements on file are theirs, from whichever tablet they came, so a replacement
    /// tablet counts them among the expert's own marks (found by an outside tester); a colleague's sheet does not.
    /// </summary>
    [Fact]
    public async Task AnExpertsOwnSheet_SaysWhichMeasurementsAreTheirs()
    {
        var scenario = await MarkingScenario.CreateAsync(shared.Node, NodeFixture.NewCode());
        (await scenario.MarkAsync(scenario.Experts["E-FR"], "KR-07", "own-" + Guid.NewGuid(), new { aspectId = "B1.1", achieved = true })).EnsureSuccessStatusCode();
        async Task<JsonElement> Deburred(string expertId) =>
            (await scenario.Experts[expertId].GetFromJsonAsync<JsonElement>("/api/me/sheet/KR-07")).GetProperty("aspects").EnumerateArray()
                .Single(a => a.GetProperty("aspectId").GetString() == "B1.1");
        var own = await Deburred("E-FR");
        Assert.True(own.GetProperty("ownMeasurement").GetBoolean());
        var colleagues = await Deburred("E-JP");
        Assert.NotEqual(JsonValueKind.Null, colleagues.GetProperty("measurement").ValueKind);
        Assert.False(colleagues.GetProperty("ownMeasurement").GetBoolean());
    }

    [Fact]
    public async Task AdminEndsASession_AndRevokesATablet_BothStopAtOnce()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var (_, admin) = await AdminAsync(node);

        // The organiser revokes a tablet through the skill's own route: audited as an admin's revocation is (found by an
        // outside tester: only the admin route was).
        var chiefTablet = (await admin.GetFromJsonAsync<List<DeviceStore.ActiveDevice>>("/api/devices"))!.Single(d => d.CompetitionCode == scenario.Code && d.ExpertId == "E-DE");
        // The reason is one line on either route, as the security audit's detail that quotes it is (found by an outside
        // tester: a line break on the skill's route read in the audit as a forged second entry); 422 naming it, nothing done.
        foreach (var path in new[] { $"{scenario.Path}/devices/{chiefTablet.Id}/revoke", $"/api/devices/{chiefTablet.Id}/revoke" })
        {
            var broken = await (path.StartsWith("/api/devices", StringComparison.Ordinal) ? admin : scenario.Organiser).PostAsJsonAsync(path, new { reason = "lost\n2026-12-08 admin device.revoke: forged" });
            Assert.Equal((path, HttpStatusCode.UnprocessableEntity), (path, broken.StatusCode));
            Assert.True((await broken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        }
        Assert.Equal(HttpStatusCode.NoContent, (await scenario.Organiser.PostAsJsonAsync($"{scenario.Path}/devices/{chiefTablet.Id}/revoke", new { reason = "cracked screen" })).StatusCode);

        var sessions = (await admin.GetFromJsonAsync<List<SessionStore.SessionView>>("/api/sessions"))!;
        var organiserSession = Assert.Single(sessions, s => s.UserName == scenario.OrganiserName);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/sessions/{organiserSession.Id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scenario.Organiser.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/sessions/{organiserSession.Id}/end", null)).StatusCode);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<SessionStore.SessionView>>("/api/sessions"))!, s => s.Id == organiserSession.Id);

        var devices = (await admin.GetFromJsonAsync<List<DeviceStore.ActiveDevice>>("/api/devices"))!.Where(d => d.CompetitionCode == scenario.Code).ToList();
        Assert.Equal(4, devices.Count);
        var tablet = devices.Single(d => d.ExpertId == "E-FR");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/devices/{tablet.Id}/revoke", new { reason = "lost on the floor" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await scenario.Experts["E-FR"].GetAsync("/api/me/assignment")).StatusCode);

        var audit = (await admin.GetFromJsonAsync<List<SecurityAudit.Entry>>("/api/security-audit"))!;
        Assert.Contains(audit, e => e.Action == "session.end" && e.Target == scenario.OrganiserName);
        Assert.Contains(audit, e => e.Action == "device.revoke" && e.Target == $"{scenario.Code}/7/E-FR" && e.Detail!.Contains("lost on the floor"));
        Assert.Contains(audit, e => e.Action == "device.revoke" && e.Target == $"{scenario.Code}/7/E-DE" && e.Actor == scenario.OrganiserName && e.Detail!.Contains("cracked screen"));
    }

    /// <summary>
    /// Tablet checks of concurrent requests share queries (docs/security.md, "Tablets"): a group mixing a revoked
    /// tablet's token with live ones refuses exactly the revoked one, from the first request after the revocation.
    /// </summary>
    [Fact]
    public async Task UnderConcurrentLoad_ARevokedTablet_IsRefusedAtOnce_AndTheOthersAreNot()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node, NodeFixture.NewCode());
        var (_, admin) = await AdminAsync(node);
        var revoked = scenario.Experts["E-FR"];
        var others = scenario.Experts.Where(e => e.Key != "E-FR").Select(e => e.Value).ToList();
        Assert.Equal(HttpStatusCode.OK, (await revoked.GetAsync("/api/me/assignment")).StatusCode);

        using var stop = new CancellationTokenSource();
        var load = others.SelectMany(client => Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var statuses = new List<HttpStatusCode>();
            while (!stop.IsCancellationRequested)
            {
                statuses.Add((await client.GetAsync("/api/me/assignment")).StatusCode);
            }
            return statuses;
        }))).ToList();

        var tablet = (await admin.GetFromJsonAsync<List<DeviceStore.ActiveDevice>>("/api/devices"))!.Single(d => d.CompetitionCode == scenario.Code && d.ExpertId == "E-FR");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/devices/{tablet.Id}/revoke", new { reason = "swapped" })).StatusCode);
        var afterRevoke = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => revoked.GetAsync("/api/me/assignment")));
        await stop.CancelAsync();
        var otherStatuses = (await Task.WhenAll(load)).SelectMany(s => s).ToList();

        Assert.All(afterRevoke, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.True(otherStatuses.Count >= 12, $"only {otherStatuses.Count} requests from the other tablets");
        Assert.All(otherStatuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task AnAdmin_CannotDisableThemselves_DropTheirOwnAdminRole_OrResetTheirOwnPassword()
    {
        var node = shared.Node;
        var (id, admin) = await AdminAsync(node);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync($"/api/accounts/{id}/disable", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PutAsJsonAsync($"/api/accounts/{id}/roles", new { roles = new[] { Roles.Organiser } })).StatusCode);
        // Found by an outside tester: a reset of one's own password ended the admin's sessions behind a password shown once.
        var reset = await admin.PostAsync($"/api/accounts/{id}/reset-password", null);
        Assert.Equal(HttpStatusCode.Conflict, reset.StatusCode);
        Assert.Equal("id", (string?)System.Text.Json.Nodes.JsonNode.Parse(await reset.Content.ReadAsStringAsync())!["field"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/accounts/{Guid.NewGuid()}/reset-password", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task SessionRows_HoldTheTicket_TheCookieOnlyTheKey()
    {
        var node = shared.Node;
        var accountId = await CreateAccount(node, OrganiserName, Roles.Organiser);
        var (client, cookies) = await SignIn(node.BaseAddress, OrganiserName);
        await using var connection = new NpgsqlConnection(shared.Database);
        await connection.OpenAsync();
        var mine = $"select count(*) from skillshub.sessions where account_id = '{accountId}' and ";
        Assert.Equal(1L, await FoundationTests.Scalar(connection, mine + "ended_at is null"));
        await client.PostAsync("/api/auth/logout", null);
        Assert.Equal(0L, await FoundationTests.Scalar(connection, mine + "ended_at is null"));
        Assert.Equal(1L, await FoundationTests.Scalar(connection, mine + "ended_by = 'sign-out'"));
    }

    /// <summary>
    /// A session stored by an older release, whose principal carries no account stamp (AccountStamp), is ended at its next
    /// request: the holder signs in again (found by an outside tester upgrading: the old session worked everywhere but at
    /// the making of an API token, which answered "Your session ended").
    /// </summary>
    [Fact]
    public async Task ASessionFromBeforeAccountStamps_EndsAtItsNextRequest_AndASignInWorks()
    {
        var node = shared.Node;
        var accountId = await CreateAccount(node, OrganiserName, Roles.Organiser);
        var (client, _) = await SignIn(node.BaseAddress, OrganiserName);
        await using var connection = new NpgsqlConnection(shared.Database);
        await connection.OpenAsync();
        var (id, bytes) = await connection.QuerySingleAsync<(Guid, byte[])>(
            "select id, ticket from skillshub.sessions where account_id = @accountId and ended_at is null", new { accountId });
        var ticket = Microsoft.AspNetCore.Authentication.TicketSerializer.Default.Deserialize(bytes)!;
        var identity = (ClaimsIdentity)ticket.Principal.Identity!;
        identity.RemoveClaim(identity.FindFirst(AccountStamp.Claim));
        await connection.ExecuteAsync("update skillshub.sessions set ticket = @ticket where id = @id",
            new { id, ticket = Microsoft.AspNetCore.Authentication.TicketSerializer.Default.Serialize(ticket) });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal("upgrade", await connection.ExecuteScalarAsync<string>("select ended_by from skillshub.sessions where id = @id", new { id }));
        var (again, _) = await SignIn(node.BaseAddress, OrganiserName);
        Assert.Equal(HttpStatusCode.Created, (await again.PostAsJsonAsync("/api/me/tokens", new { name = "after the upgrade" })).StatusCode);
    }

    [Theory]
    [InlineData("/api/auth/login")]
    [InlineData("/api/auth/login/")]
    [InlineData("/API/Auth/Login")]
    public async Task SigningIn_StartsANewSession_AndEndsThePreviousOne_OnlyWhenItSucceeds(string path)
    {
        // Found by an outside tester: with a trailing slash the sign-in renewed the caller's old session, which stayed filed
        // under the old account, so disabling the new one did not end it.
        var node = shared.Node;
        var other = "other-" + _id;
        await CreateAccount(node, OrganiserName, Roles.Organiser);
        var otherId = await CreateAccount(node, other, Roles.Organiser);
        var (client, cookies) = await SignIn(node.BaseAddress, OrganiserName);
        var first = cookies.GetCookieHeader(node.BaseAddress);

        // A failed attempt leaves the session as it was.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { userName = OrganiserName, password = "wrong password" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        // A successful one replaces it: the old cookie (say, one planted by someone else) is dead.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(path, new { userName = other, password = Password })).StatusCode);
        Assert.Equal(other, (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("name").GetString());
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = node.BaseAddress };
        replay.DefaultRequestHeaders.Add("Cookie", first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/auth/me")).StatusCode);
        // The new session is the new account's: disabling it ends the session.
        var (_, admin) = await AdminAsync(node);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/accounts/{otherId}/disable", new { reason = "test" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task SigningIn_WithTheSessionCookieNamedInAnotherCase_StillStartsANewSession()
    {
        // Found by an outside tester: the cookie handler finds its cookie by name in any case, and a SKILLSHUB= cookie stayed
        // on the sign-in request, so the old session was renewed instead of ended (SessionStore.cs, FreshSessionOnSignIn).
        var node = shared.Node;
        var other = "other-" + _id;
        await CreateAccount(node, OrganiserName, Roles.Organiser);
        var otherId = await CreateAccount(node, other, Roles.Organiser);
        var (_, cookies) = await SignIn(node.BaseAddress, OrganiserName);
        var first = cookies.GetCookies(node.BaseAddress).Single(c => c.Name.EndsWith("skillshub", StringComparison.Ordinal)); // not the antiforgery cookie
        Assert.NotEqual(first.Name, first.Name.ToUpperInvariant());

        using var raw = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = node.BaseAddress };
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = other, password = Password }) };
        login.Headers.Add("Cookie", $"{first.Name.ToUpperInvariant()}={first.Value}");
        var signedIn = await raw.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var issued = signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(first.Name + "=", StringComparison.Ordinal));
        Assert.NotEqual($"{first.Name}={first.Value}", issued);

        async Task<HttpResponseMessage> Me(string cookie)
        {
            using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            me.Headers.Add("Cookie", cookie);
            return await raw.SendAsync(me);
        }
        // The new cookie is the new account's session; the old one, sent in either spelling, is over.
        Assert.Equal(other, (await (await Me(issued)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me($"{first.Name}={first.Value}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me($"{first.Name.ToUpperInvariant()}={first.Value}")).StatusCode);
        // Disabling the new account ends the new session: it is filed under that account.
        var (_, admin) = await AdminAsync(node);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/accounts/{otherId}/disable", new { reason = "test" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(issued)).StatusCode);
    }

    /// <summary>
    /// A password is one password however it is typed (docs/security.md, "Accounts"): set in full-width characters (a Chinese
    /// input method left in full-width mode), it signs in typed in plain ones; and a hash made before, of a password as typed
    /// with e and a combining accent (macOS), signs in with é as one code point (Windows) and is redone in the new form then.
    /// </summary>
    [Fact]
    public async Task APassword_SignsInHoweverItIsTyped_AndAnOlderHashIsRedone()
    {
        var node = shared.Node;
        using var http = node.Client();
        await node.Services.GetRequiredService<AccountStore>().CreateAsync(OrganiserName, OrganiserName, "ｃｏｒｒｅｃｔ　ｈｏｒｓｅ　ｓｔａｐｌｅ", [Roles.Organiser], null);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/auth/login", new { userName = OrganiserName, password = "correct horse staple" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/auth/login", new { userName = OrganiserName, password = "correct horse stapler" })).StatusCode);

        var older = "older-" + _id;
        await CreateAccount(node, older, Roles.Organiser);
        var asTyped = new Microsoft.AspNetCore.Identity.PasswordHasher<AccountStore.Account>(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Identity.PasswordHasherOptions { IterationCount = 1000 })).HashPassword(null!, "cafe\u0301 au lait 2026");
        async Task<string> HashOf()
        {
            await using var connection = new NpgsqlConnection(shared.Database);
            await connection.OpenAsync();
            await using var select = new NpgsqlCommand("select password_hash from skillshub.accounts where user_name = @user", connection);
            select.Parameters.AddWithValue("user", older);
            return (string)(await select.ExecuteScalarAsync())!;
        }
        await using (var connection = new NpgsqlConnection(shared.Database))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("update skillshub.accounts set password_hash = @hash where user_name = @user", connection);
            update.Parameters.AddWithValue("hash", asTyped);
            update.Parameters.AddWithValue("user", older);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/api/auth/login", new { userName = older, password = "cafe au lait 2026" })).StatusCode);
        Assert.Equal(asTyped, await HashOf());
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/auth/login", new { userName = older, password = "caf\u00e9 au lait 2026" })).StatusCode);
        Assert.NotEqual(asTyped, await HashOf());
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/auth/login", new { userName = older, password = "cafe\u0301 au lait 2026" })).StatusCode);
    }

    /// <summary>The PBKDF2 iteration count an Identity v3 hash records (bytes 5..8, big-endian).</summary>
    static async Task<int> IterationsOf(string database, string user)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("select password_hash from skillshub.accounts where user_name = @user", connection);
        select.Parameters.AddWithValue("user", user);
        var hash = Convert.FromBase64String((string)(await select.ExecuteScalarAsync())!);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4));
    }

    [Fact]
    public async Task PasswordHashIterations_AreUsedForNewHashes_AndAnOlderHashIsRedoneAtTheNextSignIn()
    {
        // The shared node hashes with the test setting (TestNode: 1,000).
        await CreateAccount(shared.Node, OrganiserName, Roles.Organiser);
        Assert.Equal(1000, await IterationsOf(shared.Database, OrganiserName));

        // A node configured with more iterations accepts the older hash and redoes it with its own count.
        var db = await postgres.NewDatabaseAsync();
        await using var node = await TestNode.StartAsync(db, "--Security:PasswordHashIterations=3000");
        await CreateAccount(node, "fresh-" + _id, Roles.Organiser);
        Assert.Equal(3000, await IterationsOf(db, "fresh-" + _id));
        var older = new Microsoft.AspNetCore.Identity.PasswordHasher<AccountStore.Account>(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Identity.PasswordHasherOptions { IterationCount = 1000 }));
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("update skillshub.accounts set password_hash = @hash where user_name = @user", connection);
            update.Parameters.AddWithValue("hash", older.HashPassword(null!, Password));
            update.Parameters.AddWithValue("user", "fresh-" + _id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        Assert.Equal(1000, await IterationsOf(db, "fresh-" + _id));
        await SignIn(node.BaseAddress, "fresh-" + _id);
        Assert.Equal(3000, await IterationsOf(db, "fresh-" + _id));
        // A wrong password is still refused after the rehash, the right one still accepted.
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "fresh-" + _id, password = "wrong password" })).StatusCode);
        await SignIn(node.BaseAddress, "fresh-" + _id);
    }

    /// <summary>
    /// A database server that refuses the node (no such database) is a setting, exit code 1; one that does not answer (the
    /// database machine still booting) ends the start with 75, which a supervisor restarts (found by an outside tester: both
    /// were 1, and the shipped systemd unit never restarted a node that booted before its database).
    /// </summary>
    [Fact]
    public async Task ADatabaseThatRefusesTheNode_IsASetting_OneThatDoesNotAnswer_IsTriedAgain()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await postgres.NewDatabaseAsync());
        var refused = await TestNode.RefusedAtStartAsync(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "no_such_database" }.ConnectionString);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("'no_such_database'", refused.Message);
        var silent = await TestNode.RefusedAtStartAsync(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = TestNode.FreePort() }.ConnectionString);
        Assert.Equal(75, silent.ExitCode);
        Assert.Contains("It may not be up yet", silent.Message);
    }

    [Theory]
    [InlineData("Security:SignInPerMinute", "0")]
    [InlineData("Certification:Lookup:PermitLimit", "0")]
    [InlineData("Proxy:ForwardLimit", "-1")]
    [InlineData("Connections:MaxSpectatorsPerClient", "-3")]
    [InlineData("Connections:MaxSpectators", "-1")]
    public async Task ALimitBelowOne_StopsTheNodeAtStart_InOneLine(string setting, string value)
    {
        // Found by an outside tester: 0 started a node whose every sign-in, lookup or request then answered 500.
        var database = await postgres.NewDatabaseAsync();
        var refused = await TestNode.RefusedAtStartAsync(database, $"--{setting}={value}");
        Assert.Equal($"{setting} must be a whole number of at least 1 (not '{value}').", refused.Message);
    }

    /// <summary>
    /// Found by an outside tester: settings read only when first used started a node whose every certificate lookup then
    /// answered 500 ("abc"), or one that migrated, logged a stack trace and exited with code 0 (Demo:Seed=yes). Later ones:
    /// a schedule Hangfire refused once the node had started, and origins and member codes that were none, taken without a
    /// word. Each is refused before the database is opened (<see cref="TestNode.NoDatabase"/>).
    /// </summary>
    [Theory]
    [InlineData("Certification:Lookup:ProofMilliseconds", "abc", "a whole number of milliseconds from 0 to 10000")]
    [InlineData("Certification:Lookup:DisclosuresPerCertificate", "ten", "a whole number of at least 1")]
    [InlineData("Certification:Lookup:SearchesPerHolder", "0", "a whole number of at least 1")]
    [InlineData("Certification:Lookup:DisclosureWindowMinutes", "1.5", "a whole number of minutes from 1 to 10080")]
    [InlineData("Demo:Seed", "yes", "true or false")]
    [InlineData("Logging:Console:FormatterName", "jsn", "json, simple or systemd")]
    [InlineData("Certification:PromotionsCron", "bogus", Schedule)]
    [InlineData("Certification:ConsistencyCron", "61 18 * * *", Schedule)]
    [InlineData("Certification:PromotionsCron", "0 * * *", Schedule)]
    [InlineData("Security:AllowedOrigins", "notaurl", Origins)]
    [InlineData("Security:AllowedOrigins", "https://results.example.org/app", Origins)]
    [InlineData("Security:AllowedOrigins", "ftp://results.example.org", Origins)]
    [InlineData("Certification:PromotionMembers", "@@", "member codes of two letters, such as CN, separated by ','")]
    [InlineData("Certification:PromotionMembers", "CHN", "member codes of two letters, such as CN, separated by ','")]
    [InlineData("Security:SignInPerMinute", "99999999999", "a whole number from 1 to 2147483647")]
    [InlineData("Jobs:WorkerCount", "101", "a whole number from 1 to 100")]
    public async Task ASettingReadLater_IsCheckedAtStart_InOneLine(string setting, string value, string rule)
    {
        var refused = await TestNode.RefusedAtStartAsync(TestNode.NoDatabase, $"--{setting}={value}");
        Assert.Equal($"{setting} must be {rule} (not '{value}').", refused.Message);
    }

    /// <summary>
    /// A scrape token that is blank, short or holds spaces is refused saying what is wrong with it, never its value: it is a
    /// secret, and an outside tester found a mistyped one written whole to the journal.
    /// </summary>
    [Theory]
    [InlineData(" ", "1 character, with spaces or control characters")]
    [InlineData("SecretToken1234", "15 characters")]
    [InlineData("0123456789abcdef 0123", "21 characters, with spaces or control characters")]
    public async Task AScrapeTokenItCannotTake_IsRefusedWithoutShowingIt(string value, string given)
    {
        var refused = await TestNode.RefusedAtStartAsync(TestNode.NoDatabase, $"--Metrics:ScrapeToken={value}");
        Assert.Equal($"Metrics:ScrapeToken must be {ScrapeToken} (the value given has {given}; a secret is not shown).", refused.Message);
        Assert.DoesNotContain(value.Trim() is { Length: > 0 } shown ? shown : "' '", refused.Message);
    }

    const string Schedule = "a cron expression of 5 fields (minute hour day month weekday), or 6 with seconds first, such as 0 * * * *";
    const string ScrapeToken = "at least 16 characters without spaces, such as from openssl rand -hex 32, or left out";

    /// <summary>
    /// Found by an outside tester: a key-encryption key given both as a value and as a file started a node without a word,
    /// so which one sealed the agencies' signing keys could not be told.
    /// </summary>
    [Theory]
    [InlineData("Credentials")]
    [InlineData("DataProtection")]
    public async Task AKeyGivenTwice_IsRefusedAtStart(string section)
    {
        var refused = await TestNode.RefusedAtStartAsync(TestNode.NoDatabase, $"--{section}:KeyEncryptionKeyFile=/nonexistent/{section}.kek");
        Assert.Equal($"{section}:KeyEncryptionKey and {section}:KeyEncryptionKeyFile are both set: give one of them.", refused.Message);
    }

    const string Origins = "origins such as https://results.example.org (http or https, a host, a port if not the scheme's own, no path), separated by ','";

    /// <summary>
    /// The schedules are taken exactly when Hangfire takes them (its parser is inside it, unreachable: the check uses the same
    /// one at the same version), Cron.Hourly()'s default and the six-field form with seconds among them.
    /// </summary>
    [Theory]
    [InlineData("0 * * * *", true)]
    [InlineData("0 18 * * *", true)]
    [InlineData("*/30 0 18 * * *", true)]
    [InlineData("0\t18  * * MON-FRI", true)]
    [InlineData("0 18 L * *", true)]
    [InlineData("0 18 * * 5#3", true)]
    [InlineData("@hourly", true)]
    [InlineData("@every_second", true)]
    [InlineData("bogus", false)]
    [InlineData("", false)]
    [InlineData("61 * * * *", false)]
    [InlineData("* * * *", false)]
    [InlineData("0 0 18 * * * 2026", false)]
    [InlineData("@fortnightly", false)]
    public void ASchedule_IsTakenExactlyWhenHangfireTakesIt(string expression, bool taken)
    {
        var parse = typeof(Hangfire.RecurringJob).Assembly.GetType("Hangfire.RecurringJobEntity", throwOnError: true)!
            .GetMethod("ParseCronExpression", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)!;
        var hangfire = Record.Exception(() => parse.Invoke(null, [expression])) is null;
        Assert.Equal(taken, hangfire);
        Assert.Equal(taken, SkillsHub.Server.Platform.CronSetting.IsSchedule(expression));
        Assert.True(SkillsHub.Server.Platform.CronSetting.IsSchedule(Hangfire.Cron.Hourly()));
    }

    /// <summary>
    /// Found by an outside tester: <c>--Urls=notaurl</c> was refused only once the database had been migrated and the
    /// silo had joined its cluster; the listen addresses are now read before anything starts, as Kestrel reads them.
    /// </summary>
    [Theory]
    [InlineData("notaurl", "notaurl")]
    [InlineData("http://127.0.0.1:99999", "http://127.0.0.1:99999")]
    [InlineData("http://127.0.0.1:5000/app", "http://127.0.0.1:5000/app")]
    [InlineData("ftp://127.0.0.1:2121", "ftp://127.0.0.1:2121")]
    [InlineData("http://127.0.0.1:0; nowhere", "nowhere")]
    public async Task ListenAddressesThatAreNotOnes_StopTheNodeBeforeItsDatabase_InOneLine(string urls, string named)
    {
        var refused = await TestNode.RefusedAtStartAsync(TestNode.NoDatabase, $"--Urls={urls}");
        Assert.Equal($"Urls must be addresses to listen on, such as http://0.0.0.0:5000, separated by ';' (not '{named}').", refused.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-2")]
    public async Task PushesPerSecond_ThatIsNotANumberAboveZero_StopsTheNodeAtStart_InOneLine(string value)
    {
        // Found by an outside tester: "abc" started a node whose live boards never moved, two warnings a second.
        var refused = await TestNode.RefusedAtStartAsync(await postgres.NewDatabaseAsync(), $"--Leaderboards:PushesPerSecond={value}");
        Assert.StartsWith("Leaderboards:PushesPerSecond must be a number above 0", refused.Message);
    }

    [Fact]
    public async Task TheFirstAdminsPassword_FollowsThePasswordRule_CheckedBeforeTheDatabase()
    {
        // Found by an outside tester: Bootstrap:AdminPassword=short made an admin with a 5-character password; then, that it
        // was refused only once the node had migrated its database and started its silo, after lines of its log.
        var refused = await TestNode.RefusedAtStartAsync(TestNode.NoDatabase, "--Bootstrap:AdminUser=boss", "--Bootstrap:AdminPassword=short");
        Assert.StartsWith("Bootstrap:AdminPassword is not acceptable: A Bootstrap:AdminPassword of at least ", refused.Message);
    }

    [Theory]
    [InlineData("many")]
    [InlineData("0")]
    [InlineData("-5000")]
    [InlineData("999")]
    public async Task PasswordHashIterations_ThatAreNotAWholeNumberOfAtLeast1000_StopTheNodeAtStart_InOneLine(string value)
    {
        var database = await postgres.NewDatabaseAsync();
        var refused = await TestNode.RefusedAtStartAsync(database, $"--Security:PasswordHashIterations={value}");
        Assert.Equal($"Security:PasswordHashIterations must be a whole number of at least 1000 (not '{value}').", refused.Message);
    }
}
