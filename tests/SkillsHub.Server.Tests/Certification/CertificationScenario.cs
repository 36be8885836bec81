using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Jobs;
using SkillsHub.Server.Hosting;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests.Certification;

/// <summary>Agencies, officers and uploads for certification tests, through the real API where it matters.</summary>
static class CertificationScenario
{
    /// <summary>A problem's members but its trace id (which differs per request), to compare two answers; other text as it is.</summary>
    public static string StripTrace(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind != JsonValueKind.Object ? text
                : string.Join("|", doc.RootElement.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
        }
        catch (JsonException)
        {
            return text;
        }
    }

    public const string Welder = "6-18-02-04";
    public const string Electrician = "6-31-01-03";
    public const string SocialAgency = "S000031000001";
    public const string EmployerAgency = "Y123431000002";
    public const string OtherAgency = "S000044000009";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task SetUpAgenciesAsync(SkillsHubNode node)
    {
        var store = node.Services.GetRequiredService<AgencyStore>();
        await store.CreateAgencyAsync(AgencyKey.Parse(SocialAgency), "上海焊接技能评价中心 Shanghai Welding Evaluation Centre",
            [(Welder, SkillLevel.Level5), (Welder, SkillLevel.Level4), (Welder, SkillLevel.Level2)], default);
        await store.CreateAgencyAsync(AgencyKey.Parse(EmployerAgency), "Employer Y agency", [(Welder, SkillLevel.Level5), (Welder, SkillLevel.Chief), (Electrician, SkillLevel.Level3)], default);
        await store.CreateAgencyAsync(AgencyKey.Parse(OtherAgency), "Other agency", [(Welder, SkillLevel.Level5)], default);
        var accounts = node.Services.GetRequiredService<AccountStore>();
        await accounts.CreateAsync("officer-s", "Officer S", "officer-password-1", [Roles.AgencyOfficer], SocialAgency);
        await accounts.CreateAsync("officer-y", "Officer Y", "officer-password-2", [Roles.AgencyOfficer], EmployerAgency);
        await accounts.CreateAsync("officer-other", "Officer Other", "officer-password-3", [Roles.AgencyOfficer], OtherAgency);
        await accounts.CreateAsync("organiser", "Organiser", "organiser-password", [Roles.Organiser], null);
    }

    public static async Task<HttpClient> SignInAsync(SkillsHubNode node, string user, string password)
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = node.BaseAddress };
        var response = await http.PostAsJsonAsync("/api/auth/login", new { userName = user, password });
        if (response.StatusCode == HttpStatusCode.OK)
        {
            http.DefaultRequestHeaders.Add("Cookie", string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
            http.DefaultRequestHeaders.Add("X-XSRF-TOKEN", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("antiforgeryToken").GetString());
        }
        else
        {
            // The sign-in endpoint belongs to another area; if it is broken at this commit, mint the same
            // cookie it would set (same claims, the node's own data protection) so these tests still test certification.
            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"sign-in as {user}: {(int)response.StatusCode}");
            var (roles, agency) = Accounts[user];
            var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new(ClaimTypes.Name, user), new("display_name", user) };
            claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
            if (agency is not null)
            {
                claims.Add(new Claim(SkillsHubClaims.Agency, agency));
            }
            var scheme = CookieAuthenticationDefaults.AuthenticationScheme;
            var options = node.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
            var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, scheme)), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, scheme);
            http.DefaultRequestHeaders.Add("Cookie", $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}");
        }
        var me = await http.GetAsync("/api/agency");
        Assert.NotEqual(HttpStatusCode.Unauthorized, me.StatusCode);
        return http;
    }

    static readonly Dictionary<string, (string[] Roles, string? Agency)> Accounts = new()
    {
        ["officer-s"] = ([Roles.AgencyOfficer], SocialAgency),
        ["officer-y"] = ([Roles.AgencyOfficer], EmployerAgency),
        ["officer-other"] = ([Roles.AgencyOfficer], OtherAgency),
        ["organiser"] = ([Roles.Organiser], null),
    };

    public static async Task<long> CreateSessionAsync(HttpClient officer, string occupation, int level, string examOn = "2025-06-01", string? reviewOn = null)
    {
        var response = await officer.PostAsJsonAsync("/api/agency/sessions", new { occupation, workType = "", level, examOn, reviewOn });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExamSessionView>(Json))!.Id;
    }

    public static Task<ImportView> UploadAsync(HttpClient officer, long session, string kind, string csv) =>
        UploadAsync(officer, session, kind, Encoding.UTF8.GetBytes(csv));

    /// <summary>Uploads the file's bytes as they are (a file that is not UTF-8, say) and waits for its import to end.</summary>
    public static async Task<ImportView> UploadAsync(HttpClient officer, long session, string kind, byte[] csv)
    {
        var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new("text/csv");
        content.Headers.Add("X-File-Name", kind + ".csv");
        var response = await officer.PostAsync($"/api/agency/sessions/{session}/{kind}", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<Accepted202>(Json))!;
        ImportView? import = null;
        if (!await TestNode.EventuallyAsync(async () =>
        {
            import = await officer.GetFromJsonAsync<ImportView>(accepted.Location, Json);
            return import!.Status is "succeeded" or "rejected" or "failed";
        }, TimeSpan.FromSeconds(60)))
        {
            // "queued" means no worker took the job, "running" that it took it and did not end; Hangfire's tables say more.
            Assert.Fail($"import {accepted.Id} did not finish: {import?.Status}, {import?.Processed} of {import?.TotalRows} rows{await TestNode.JobsReportAsync(officer.BaseAddress)}");
        }
        return import!;
    }

    public static async Task<RunView> RunAsync(HttpClient officer, long session, string kind)
    {
        var response = await officer.PostAsync($"/api/agency/sessions/{session}/{kind}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await FinishedAsync(officer, (await response.Content.ReadFromJsonAsync<RunView>(Json))!, kind);
    }

    /// <summary>The run once it has succeeded or failed; a run not finished in two minutes fails the test with Hangfire's view of its job.</summary>
    public static async Task<RunView> FinishedAsync(HttpClient officer, RunView run, string kind)
    {
        if (!await TestNode.EventuallyAsync(async () =>
        {
            run = (await officer.GetFromJsonAsync<RunView>($"/api/agency/runs/{run.Id}", Json))!;
            return run.Status is "succeeded" or "failed";
        }, TimeSpan.FromSeconds(120)))
        {
            Assert.Fail($"{kind} run did not finish: {run.Status}, {run.Processed} of {run.Total}, Hangfire job {run.JobId}{await TestNode.JobsReportAsync(officer.BaseAddress)}");
        }
        return run;
    }

    /// <summary>n candidates with passports P0000001.., all eligible for Level 5 of the welder session.</summary>
    public static string Candidates(int n, int offset = 0)
    {
        var csv = new StringBuilder("name,id_type,id_number,education,in_occupation_since,held_level,held_since\n");
        for (var i = offset + 1; i <= offset + n; i++)
        {
            csv.Append("Candidate ").Append(i).Append(",passport,P").Append(i.ToString("0000000")).Append(",none,2020-01-01,,\n");
        }
        return csv.ToString();
    }

    public static string Results(int n, int offset = 0, decimal theory = 75, decimal practical = 82)
    {
        var csv = new StringBuilder("id_type,id_number,theory,practical,review\n");
        for (var i = offset + 1; i <= offset + n; i++)
        {
            csv.Append("passport,P").Append(i.ToString("0000000")).Append(',').Append(theory).Append(',').Append(practical).Append(",\n");
        }
        return csv.ToString();
    }

    public static async Task<long> ScalarAsync(SkillsHubNode node, string sql, object? args = null)
    {
        await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    public static async Task<string?> TextAsync(SkillsHubNode node, string sql, object? args = null)
    {
        await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>(sql, args);
    }

    /// <summary>A session with n passed, uncertified candidates, prepared straight in SQL (for concurrency tests).</summary>
    public static async Task<long> PassedSessionAsync(SkillsHubNode node, string agency, int n, int offset)
    {
        await using var connection = await node.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var session = await connection.ExecuteScalarAsync<long>("""
            insert into skillshub.evaluation_sessions (agency_key, occupation_code, level, exam_on, created_by) values (@agency, @occupation, 5, '2025-06-01', 'test') returning id
            """, new { agency, occupation = Welder });
        await connection.ExecuteAsync("""
            insert into skillshub.candidates (id_type, id_number, name) select 'passport', 'Q' || lpad(g::text, 7, '0'), 'Bulk ' || g from generate_series(@from, @to) g;
            insert into skillshub.evaluations (session_id, candidate_id, theory, practical)
              select @session, c.id, 80, 80 from skillshub.candidates c where c.id_number between 'Q' || lpad(@from::text, 7, '0') and 'Q' || lpad(@to::text, 7, '0');
            insert into skillshub.rating_decisions (evaluation_id, session_id, outcome, reasons) select id, @session, 'passed', '{}' from skillshub.evaluations where session_id = @session;
            """, new { session, from = offset + 1, to = offset + n });
        return session;
    }
}
