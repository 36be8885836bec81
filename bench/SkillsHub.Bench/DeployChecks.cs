using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SkillsHub.Bench;

/// <summary>
/// What deploy/failover-test.sh checks about the deployment after the failover run, on a live cluster behind
/// nginx (docs/deployment.md):
///   1. two clients with different addresses (127.0.0.1 and 127.0.0.2) have separate rate-limit buckets through nginx;
///   2. a credential first requested through the proxy, with a foreign Host header, names PublicBaseUrl;
///   3. a sign-in cookie issued by node A is accepted by node C (shared key ring in PostgreSQL);
///   4. a credential issued on node A verifies on node C (shared signing keys).
///   SkillsHub.Bench deploy-checks --url http://127.0.0.1:8080 --public-url URL --node-a URL --node-c URL --admin-user U (password: --admin-password P or $SKILLSHUB_ADMIN_PASSWORD)
/// Exit code 0 = all passed.
/// </summary>
public static class DeployChecks
{
    sealed record Options(string Url, string PublicUrl, string NodeA, string NodeC, string AdminUser, string AdminPassword);

    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static int Run(string[] args)
    {
        string? Optional(string name) => BenchArgs.Text(args, name);
        string Arg(string name) => BenchArgs.Required(args, name);
        var o = new Options(Arg("--url"), Arg("--public-url").TrimEnd('/'), Arg("--node-a"), Arg("--node-c"), Arg("--admin-user"),
            Optional("--admin-password") ?? Environment.GetEnvironmentVariable("SKILLSHUB_ADMIN_PASSWORD")
                ?? throw new OptionException("--admin-password or SKILLSHUB_ADMIN_PASSWORD is required"));
        return RunAsync(o).GetAwaiter().GetResult();
    }

    static async Task<int> RunAsync(Options o)
    {
        var failures = 0;
        void Report(string check, bool passed, string detail)
        {
            Console.WriteLine($"{(passed ? "PASS" : "FAIL")} {check}: {detail}");
            failures += passed ? 0 : 1;
        }

        // 1. Separate buckets: the pairing limit (per client address) through nginx, from two loopback addresses.
        using (var a = From(IPAddress.Parse("127.0.0.1"), o.Url))
        using (var b = From(IPAddress.Parse("127.0.0.2"), o.Url))
        {
            var attempts = 0;
            HttpStatusCode last = 0;
            while (attempts < 2000 && last != HttpStatusCode.TooManyRequests)
            {
                attempts++;
                last = (await a.PostAsJsonAsync("/api/pairing/redeem", new { code = $"ZZZZZ-{attempts:00000}" })).StatusCode;
            }
            var other = (await b.PostAsJsonAsync("/api/pairing/redeem", new { code = "ZZZZZ-99999" })).StatusCode;
            Report("separate buckets", last == HttpStatusCode.TooManyRequests && other == HttpStatusCode.BadRequest,
                $"client 127.0.0.1 got {(int)last} after {attempts} wrong codes; client 127.0.0.2 then got {(int)other} (expected 429 then 400)");
        }

        // A certificate to sign: an agency, its officer, a session of one candidate, rated and issued (all through nginx).
        using var admin = await SignInAsync(o.Url, o.AdminUser, o.AdminPassword);
        var agency = "S000031" + Random.Shared.Next(100000, 999999).ToString("000000");
        await Expect(await admin.PostAsJsonAsync("/api/certification/agencies", new
        {
            type = "S", agencyCode = "0000", province = "31", site = agency[^6..], name = "Deploy check agency (generated)",
            scope = new[] { new { occupation = "6-18-02-04", levels = new[] { 5 } } },
        }), HttpStatusCode.Created, "create agency");
        var officerName = "deploy-officer-" + agency[^6..];
        await Expect(await admin.PostAsJsonAsync("/api/accounts", new { userName = officerName, displayName = "Deploy officer", password = "deploy officer password", roles = new[] { "AgencyOfficer" }, agencyCode = agency }),
            HttpStatusCode.Created, "create officer");
        using var officer = await SignInAsync(o.Url, officerName, "deploy officer password");
        var session = await Expect(await officer.PostAsJsonAsync("/api/agency/sessions", new { occupation = "6-18-02-04", workType = "", level = 5, examOn = "2025-06-01" }), HttpStatusCode.Created, "create session");
        var sessionId = session.GetProperty("id").GetInt64();
        await UploadAsync(officer, sessionId, "candidates", "name,id_type,id_number,education,in_occupation_since,held_level,held_since\nDeploy Candidate 1,passport,P7700001,none,2020-01-01,,\nDeploy Candidate 2,passport,P7700002,none,2020-01-01,,\n");
        await UploadAsync(officer, sessionId, "results", "id_type,id_number,theory,practical,review\npassport,P7700001,75,82,\npassport,P7700002,75,82,\n");
        await RunJobAsync(officer, sessionId, "rate");
        await RunJobAsync(officer, sessionId, "issue");
        var decisions = await officer.GetFromJsonAsync<JsonElement>($"/api/agency/sessions/{sessionId}/certificates");
        var numbers = decisions.EnumerateArray().Select(d => d.GetProperty("certificateNumber").GetString()).OfType<string>().ToList();
        var number = numbers[0];

        // 2. First signed through the proxy, asked with a foreign Host: the credential names PublicBaseUrl.
        // (Downloads need the certificate's access token or the issuing agency's officer: docs/security.md.)
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"{o.Url}/api/credentials/{number}?format=json"))
        {
            request.Headers.Host = "results.attacker.example";
            var body = await Expect(await officer.SendAsync(request), HttpStatusCode.OK, "credential through nginx");
            var credential = body.GetProperty("credential");
            var id = credential.GetProperty("id").GetString();
            var issuer = credential.GetProperty("issuer").GetProperty("id").GetString();
            Report("credential through the proxy names PublicBaseUrl", id == $"{o.PublicUrl}/api/credentials/{number}" && issuer == $"{o.PublicUrl}/api/issuers/{agency}",
                $"id {id}, issuer {issuer}");
        }

        // 3. A cookie node A set, sent to node C.
        using (var onA = await SignInAsync(o.NodeA, officerName, "deploy officer password"))
        using (var onC = new HttpClient { BaseAddress = new Uri(o.NodeC) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Add("Cookie", onA.DefaultRequestHeaders.GetValues("Cookie"));
            var me = await onC.SendAsync(request);
            var name = me.IsSuccessStatusCode ? (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString() : null;
            Report("cookie from node A works on node C", me.StatusCode == HttpStatusCode.OK && name == officerName, $"{(int)me.StatusCode} {name}");
        }

        // 4. The second certificate's credential is first asked of node A, so A signs it; node C verifies it.
        using (var nodeA = await SignInAsync(o.NodeA, officerName, "deploy officer password"))
        using (var nodeC = new HttpClient { BaseAddress = new Uri(o.NodeC) })
        {
            var jwt = await (await nodeA.GetAsync($"/api/credentials/{numbers[1]}")).EnsureSuccessStatusCode().Content.ReadAsStringAsync();
            var verified = await Expect(await nodeC.PostAsJsonAsync("/api/credentials/verify", new { credential = jwt }), HttpStatusCode.OK, "verify on node C");
            Report("credential from node A verifies on node C", verified.GetProperty("verified").GetBoolean(),
                string.Join(", ", verified.GetProperty("checks").EnumerateArray().Select(c => $"{c.GetProperty("check").GetString()} {c.GetProperty("outcome").GetString()}")));
        }

        Console.WriteLine(failures == 0 ? "deploy checks PASSED" : $"deploy checks FAILED ({failures})");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>An HTTP client whose connections come from <paramref name="local"/> (any 127.x address is this machine).</summary>
    static HttpClient From(IPAddress local, string url) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri(url) };

    static async Task<HttpClient> SignInAsync(string url, string user, string password)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(url) };
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
        if (!login.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sign-in as {user} at {url}: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        }
        client.DefaultRequestHeaders.Add("Cookie", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        // A cookie session's changes carry the antiforgery token from the sign-in answer (docs/security.md).
        var answer = await login.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", answer.GetProperty("antiforgeryToken").GetString());
        return client;
    }

    static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
        }
        return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    static async Task UploadAsync(HttpClient officer, long session, string kind, string csv)
    {
        var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        content.Headers.Add("X-File-Name", kind + ".csv");
        var accepted = await Expect(await officer.PostAsync($"/api/agency/sessions/{session}/{kind}", content), HttpStatusCode.Accepted, $"upload {kind}");
        await PollAsync(officer, accepted.GetProperty("location").GetString()!, $"import {kind}");
    }

    static async Task RunJobAsync(HttpClient officer, long session, string kind)
    {
        var run = await Expect(await officer.PostAsync($"/api/agency/sessions/{session}/{kind}", null), HttpStatusCode.Accepted, $"start {kind}");
        await PollAsync(officer, $"/api/agency/runs/{run.GetProperty("id").GetString()}", kind);
    }

    static async Task PollAsync(HttpClient client, string location, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>(location, Web)).GetProperty("status").GetString();
            if (status is "succeeded")
            {
                return;
            }
            if (status is "failed" or "rejected")
            {
                throw new InvalidOperationException($"{what} {status}");
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{what} did not finish in 120 s");
    }
}
