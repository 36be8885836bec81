using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;

namespace SkillsHub.Testing;

/// <summary>
/// A small, fully set-up skill driven only through the public API: WSC2024 skill 07, three competitors
/// (FR, CN, KR), five experts, a 100-mark scheme with measurement and judgement aspects, two marking
/// groups, and every expert's tablet paired. Given a competition code (<see cref="NodeFixture.NewCode"/>), the same
/// skill is set up in a competition of its own, with its own organiser account, so tests can share a node.
/// </summary>
public sealed class MarkingScenario
{
    public const string Competition = "WSC2024";
    public const int Skill = 7;
    public static string SkillPath => $"/api/competitions/{Competition}/skills/{Skill:00}";

    public const string SchemeJson = """
        {"title":"Test scheme","criteria":[
          {"id":"A","name":"Machining","subCriteria":[{"id":"A1","name":"Dimensions","aspects":[
            {"id":"A1.1","type":"M","description":"Outer dimension within tolerance","markingDay":"C1","maxMark":40.00},
            {"id":"A1.2","type":"J","description":"Surface finish","markingDay":"C1","maxMark":20.00,
             "descriptors":["Poor","Acceptable","Good","Excellent"]}]}]},
          {"id":"B","name":"Presentation","subCriteria":[{"id":"B1","name":"Finish","aspects":[
            {"id":"B1.1","type":"M","description":"Deburred","markingDay":"C2","maxMark":30.00},
            {"id":"B1.2","type":"J","description":"Overall impression","markingDay":"C2","maxMark":10.00,
             "descriptors":["Poor","Acceptable","Good","Excellent"]}]}]}]}
        """;

    public const string CompetitorsCsv = """
        id,member,first_name,last_name
        FR-07,FR,Louis,Martin
        CN-07,CN,Wei,Zhang
        KR-07,KR,Minjun,Kim
        """;

    public const string ExpertsCsv = """
        id,member,name,role
        E-DE,DE,Anna Schmidt,Chief Expert
        E-FR,FR,Paul Durand,Expert
        E-CN,CN,Li Na,Expert
        E-KR,KR,Park Ji,Expert
        E-JP,JP,Sato Ken,Expert
        """;

    public const string GroupsCsv = """
        id,name,targets,experts
        G1,Machining,A,E-FR;E-CN;E-KR;E-JP
        G2,Presentation,B,E-FR;E-KR;E-JP
        """;

    public required SkillsHubNode Node { get; init; }

    public required HttpClient Organiser { get; init; }

    public required IReadOnlyDictionary<string, HttpClient> Experts { get; init; }

    public HttpClient Anonymous => Node.Client();

    /// <summary>This scenario's competition code (<see cref="Competition"/> unless given one).</summary>
    public string Code { get; init; } = Competition;

    /// <summary>This scenario's skill path, <c>/api/competitions/{Code}/skills/07</c>.</summary>
    public string Path => $"/api/competitions/{Code}/skills/{Skill:00}";

    /// <summary>The organiser's account name: "organiser", or "organiser-{code}" in a competition of its own.</summary>
    public string OrganiserName => Code == Competition ? "organiser" : "organiser-" + Code.ToLowerInvariant();

    public static Task<MarkingScenario> CreateAsync(SkillsHubNode node) => CreateAsync(node, Competition);

    /// <summary>
    /// The scenario in competition <paramref name="competition"/>, created (with skill 07) unless it is the seeded WSC2024;
    /// <paramref name="competitorsCsv"/> replaces the three competitors (same columns as <see cref="CompetitorsCsv"/>);
    /// <paramref name="city"/> is where a created competition is held.
    /// </summary>
    public static async Task<MarkingScenario> CreateAsync(SkillsHubNode node, string competition, string? competitorsCsv = null, string city = "Lyon")
    {
        var organiser = await SignInAsync(node, competition == Competition ? "organiser" : "organiser-" + competition.ToLowerInvariant(), [Roles.Organiser]);
        var path = $"/api/competitions/{competition}/skills/{Skill:00}";
        if (competition != Competition)
        {
            var created = await organiser.PostAsJsonAsync("/api/competitions", new { code = competition, name = "Test " + competition, city, country = "France" });
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/competitions {competition} -> {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
            }
            await Put(organiser, $"/api/competitions/{competition}/skills", "number,name_en\n7,CNC Milling\n", "text/csv");
        }
        await Put(organiser, $"{path}/competitors", competitorsCsv ?? CompetitorsCsv, "text/csv");
        await Put(organiser, $"{path}/experts", ExpertsCsv, "text/csv");
        await Put(organiser, $"{path}/scheme?judges=3", SchemeJson, "application/json");
        await Put(organiser, $"{path}/marking-groups", GroupsCsv, "text/csv");
        var experts = new Dictionary<string, HttpClient>();
        foreach (var id in new[] { "E-DE", "E-FR", "E-CN", "E-KR", "E-JP" })
        {
            experts[id] = await PairAsync(node, organiser, id, path);
        }
        return new MarkingScenario { Node = node, Code = competition, Organiser = organiser, Experts = experts };
    }

    public static async Task<HttpClient> SignInAsync(SkillsHubNode node, string user, string[] roles, string? agency = null)
    {
        const string password = "correct horse battery staple";
        var accounts = node.Services.GetRequiredService<AccountStore>();
        if (!await accounts.ExistsAsync(user))
        {
            await accounts.CreateAsync(user, user, password, roles, agency);
        }
        // A careful client waits for the answer to Expect: 100-continue; a loaded test machine can take longer than the 1 s default.
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = node.BaseAddress };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
        login.EnsureSuccessStatusCode();
        // A cookie session sends the antiforgery token from the sign-in answer on every change (docs/security.md).
        var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("antiforgeryToken").GetString();
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", token);
        return client;
    }

    public static async Task<HttpClient> PairAsync(SkillsHubNode node, HttpClient issuer, string expertId, string? skillPath = null)
    {
        var code = await issuer.PostAsJsonAsync($"{skillPath ?? SkillPath}/pairing-codes", new { expertId });
        code.EnsureSuccessStatusCode();
        var pairing = await code.Content.ReadFromJsonAsync<PairingCode>();
        var redeem = await node.Client().PostAsJsonAsync("/api/pairing/redeem", new { code = pairing!.Code, deviceName = "tablet " + expertId });
        redeem.EnsureSuccessStatusCode();
        var device = await redeem.Content.ReadFromJsonAsync<Redeemed>();
        var client = node.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device!.Token);
        return client;
    }

    public sealed record PairingCode(string Code, string ExpertId, DateTimeOffset ExpiresAt);

    public sealed record Redeemed(string Token, Guid DeviceId, string ExpertId);

    static async Task Put(HttpClient client, string path, string body, string contentType)
    {
        var response = await client.PutAsync(path, new StringContent(body, Encoding.UTF8, contentType));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Whether the skill's live standings show a raw total above 0 within 10 s (they follow marks on the leaderboard
    /// interval): the skill is then decided, and results.csv lists it (docs/scoring.md, "Results").
    /// </summary>
    public Task<bool> DecidedAsync() => TestNode.EventuallyAsync(async () =>
        (await Organiser.GetFromJsonAsync<System.Text.Json.JsonElement>($"{Path}/standings")).GetProperty("rows").EnumerateArray().Any(r => r.GetProperty("raw").GetDecimal() > 0),
        TimeSpan.FromSeconds(10));

    /// <summary>Posts one batch of marks with an idempotency key (WSC2024 skill 07).</summary>
    public static Task<HttpResponseMessage> Mark(HttpClient expert, string competitorId, string key, params object[] marks) =>
        Mark(SkillPath, expert, competitorId, key, marks);

    /// <summary>Posts one batch of marks with an idempotency key to this scenario's skill.</summary>
    public Task<HttpResponseMessage> MarkAsync(HttpClient expert, string competitorId, string key, params object[] marks) =>
        Mark(Path, expert, competitorId, key, marks);

    static Task<HttpResponseMessage> Mark(string skillPath, HttpClient expert, string competitorId, string key, object[] marks)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{skillPath}/marks")
        {
            Content = JsonContent.Create(new { competitorId, marks }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return expert.SendAsync(request);
    }
}
