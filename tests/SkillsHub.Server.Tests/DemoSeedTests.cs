using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Seeding;

namespace SkillsHub.Server.Tests;

/// <summary>The embedded demo (./run.sh) seeds a labelled demo agency with an issued session, once.</summary>
[Collection(ServerCollection.Embedded)]
public sealed class DemoSeedTests
{
    static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>Rows of every table the demo agency touches, as one comparable string.</summary>
    const string Counts = """
        select concat_ws(',',
          (select count(*) from skillshub.agencies), (select count(*) from skillshub.agency_scope), (select count(*) from skillshub.accounts),
          (select count(*) from skillshub.candidates), (select count(*) from skillshub.candidate_work), (select count(*) from skillshub.candidate_levels),
          (select count(*) from skillshub.evaluation_sessions), (select count(*) from skillshub.evaluations), (select count(*) from skillshub.rating_decisions),
          (select count(*) from skillshub.certificates), (select count(*) from skillshub.job_progress where kind in ('rate', 'issue')), (select coalesce(sum(last_serial), 0) from skillshub.certificate_counters))
        """;

    /// <summary>A node in the embedded default, exactly as ./run.sh starts it (no connection string).</summary>
    static async Task<SkillsHubNode> StartEmbeddedAsync(string directory)
    {
        var node = await SkillsHubNode.CreateAsync(
        [
            $"--Embedded:DataDirectory={Path.Combine(directory, "postgres")}",
            "--urls=http://127.0.0.1:0",
            $"--Orleans:SiloPort={TestNode.FreePort()}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Hangfire=Error",
            "--Jobs:WorkerCount=2",
            "--Security:SignInPerMinute=100000",
        ]);
        await node.StartAsync();
        var seeder = node.Services.GetServices<IHostedService>().OfType<DemoSeeder>().Single();
        var finished = await Task.WhenAny(seeder.ExecuteTask!, Task.Delay(TimeSpan.FromMinutes(4)));
        Assert.True(finished == seeder.ExecuteTask, "the demo seeding did not finish");
        await seeder.ExecuteTask;
        return node;
    }

    static async Task<string> CountsAsync(SkillsHubNode node)
    {
        await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand(Counts, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    static async Task<string> FirstCertificateAsync(SkillsHubNode node)
    {
        await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select min(number) from skillshub.certificates where agency_key = @key", connection);
        command.Parameters.AddWithValue("key", DemoAgencySeeder.AgencyKeyText);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task EmbeddedDemo_SeedsAnIssuedDemoAgency_AndASecondStartAddsNothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), "skillshub-demo-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string counts, number, credentials;
            await using (var node = await StartEmbeddedAsync(directory))
            {
                // The officer's generated password is kept beside the data, like the admin's, and signs in.
                var file = Path.Combine(directory, DemoAgencySeeder.CredentialsFile);
                Assert.True(File.Exists(file), "the demo officer's credentials were not written");
                credentials = await File.ReadAllTextAsync(file);
                var password = credentials.Split('\n').Single(l => l.StartsWith("agency officer password: ", StringComparison.Ordinal))["agency officer password: ".Length..];
                using var officer = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = node.BaseAddress };
                (await officer.PostAsJsonAsync("/api/auth/login", new { userName = DemoAgencySeeder.OfficerUser, password })).EnsureSuccessStatusCode();
                var agency = (await officer.GetFromJsonAsync<AgencyView>("/api/agency", Json))!;
                Assert.Equal((DemoAgencySeeder.AgencyKeyText, DemoAgencySeeder.AgencyName), (agency.Key, agency.Name));
                Assert.Contains("(generated)", agency.Name);
                Assert.Equal(["4-03-02-05", "6-18-01-01", "6-18-01-02"], agency.Scope.Select(s => s.Occupation));
                var session = Assert.Single((await officer.GetFromJsonAsync<List<ExamSessionView>>("/api/agency/sessions", Json))!);
                Assert.Equal((6, 4, 1, 1, 4), (session.Candidates, session.Passed, session.Failed, session.Ineligible, session.Certificates));

                // /verify/{number} works out of the box, ID masked.
                number = await FirstCertificateAsync(node);
                using var anonymous = node.Client();
                var token = node.Services.GetRequiredService<SkillsHub.Server.Certification.RegistryTokens>().For(number);
                var certificate = (await anonymous.GetFromJsonAsync<CertificateView>($"/api/certificates/{number}?t={token}", Json))!;
                Assert.Equal(("********0001", "valid"), (certificate.IdNumberMasked, certificate.Status));
                Assert.Contains("Demo Candidate 01", certificate.HolderName);
                Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/verify/{number}")).StatusCode);
                // No PublicBaseUrl in the embedded demo: its credentials name the address it listens on.
                var issued = System.Text.Json.Nodes.JsonNode.Parse(await anonymous.GetStringAsync($"/api/credentials/{number}?format=json&t={token}"))!;
                Assert.Equal($"{node.BaseAddress.ToString().TrimEnd('/')}/api/credentials/{number}", (string)issued["credential"]!["id"]!);

                // The demo's clearly labelled lenient judge is what the judging report finds (docs/judging-report.md).
                var organiser = await MarkingScenario.SignInAsync(node, "demo-judging-check", [Security.Roles.Organiser]);
                var judging = await organiser.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/competitions/WSC2024/skills/07/judging-report");
                var flagged = judging.GetProperty("report").GetProperty("experts").EnumerateArray().Where(e => e.GetProperty("tendency").GetString() != "None").ToList();
                var lenient = Assert.Single(flagged, e => e.GetProperty("expertId").GetString() == "E-NO");
                Assert.All(flagged, e => Assert.Equal("E-NO", e.GetProperty("expertId").GetString()));
                Assert.Equal(("E-NO", "Lenient"), (lenient.GetProperty("expertId").GetString(), lenient.GetProperty("tendency").GetString()));
                Assert.Contains("(lenient, generated)", lenient.GetProperty("name").GetString());
                // Each demo skill's scheme is titled by its own skill (an outside tester: CNC Turning's read "CNC Milling").
                foreach (var (skill, name) in new[] { ("06", "CNC Turning"), ("07", "CNC Milling"), ("35", "Restaurant Service") })
                {
                    var scheme = await organiser.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/competitions/WSC2024/skills/{skill}/scheme");
                    Assert.StartsWith(name + " (SAMPLE", scheme.GetProperty("title").GetString(), StringComparison.Ordinal);
                }

                // No proxy stands in front of the embedded default, so no address may name another client in X-Forwarded-For:
                // every browser on the machine is a loopback client (found by an outside tester, who chose a new address with
                // each sign-in and so was never throttled).
                var forwarding = node.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>>().Value;
                Assert.Equal(Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.None, forwarding.ForwardedHeaders);
                // From outside: a sign-in that names another client is recorded under the address it came from.
                var admin = "demo-forwarded-" + Guid.NewGuid().ToString("N")[..6];
                using (var signedIn = await MarkingScenario.SignInAsync(node, admin, [Security.Roles.Admin]))
                using (var forged = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = node.BaseAddress })
                {
                    forged.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
                    (await forged.PostAsJsonAsync("/api/auth/login", new { userName = admin, password = "correct horse battery staple" })).EnsureSuccessStatusCode();
                    var sessions = await signedIn.GetStringAsync("/api/sessions");
                    Assert.DoesNotContain("203.0.113.9", sessions);
                    Assert.Contains("127.0.0.1", sessions);
                }

                // Counted after the check's sign-in account, so the second start must add nothing at all.
                counts = await CountsAsync(node);
            }

            await using (var again = await StartEmbeddedAsync(directory))
            {
                Assert.Equal(counts, await CountsAsync(again));
                Assert.Equal(number, await FirstCertificateAsync(again));
                Assert.Equal(credentials, await File.ReadAllTextAsync(Path.Combine(directory, DemoAgencySeeder.CredentialsFile)));
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
