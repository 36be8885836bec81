using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

/// <summary>
/// DOMjudge's lesson: visit every endpoint as every role and compare each allow/deny with a table.
/// The table must list every endpoint the server maps, so a new endpoint cannot slip in unreviewed.
/// Both tests use one node (the traversal sets up WSC2024 skill 07, which only it uses).
/// </summary>
[Collection(ServerCollection.Interop)]
public sealed class RoleTraversalTests(NodeFixture shared) : IClassFixture<NodeFixture>
{
    const string Anon = "anonymous", Expert = "expert", Chief = "chief", Organiser = "organiser", Admin = "admin", Officer = "officer";
    static readonly string[] AllRoles = [Anon, Expert, Chief, Organiser, Admin, Officer];
    static readonly string[] Everyone = AllRoles;
    static readonly string[] SignedIn = [Expert, Chief, Organiser, Admin, Officer];
    static readonly string[] Admins = [Admin];
    static readonly string[] Organisers = [Organiser, Admin];
    static readonly string[] SkillChiefs = [Chief, Organiser, Admin];
    static readonly string[] Tablets = [Expert, Chief];
    static readonly string[] Officers = [Officer];

    const string S = "/api/competitions/WSC2024/skills/07";

    /// <summary>(method, route pattern as mapped, concrete path, body, content type, who may call it).</summary>
    static readonly (string Method, string Pattern, string Path, string? Body, string? Type, string[] Allowed)[] Table =
    [
        ("GET", "/health/live", "/health/live", null, null, Everyone),
        ("GET", "/health/ready", "/health/ready", null, null, Everyone),
        ("GET", "/openapi/v1.json", "/openapi/v1.json", null, null, Everyone),
        ("GET", "/api-docs/{documentName?}", "/api-docs", null, null, Everyone),
        ("GET", "/api-docs/scalar.js", "/api-docs/scalar.js", null, null, Everyone),
        ("GET", "/api-docs/scalar.aspnetcore.js", "/api-docs/scalar.aspnetcore.js", null, null, Everyone),
        ("GET", "/api-docs/favicon.svg", "/api-docs/favicon.svg", null, null, Everyone),
        ("GET", "/jobs/{**path}", "/jobs", null, null, Admins),
        // Hangfire's statistics feed failed with a 500 on anything but POST (found by an outside tester): now 405 for admins.
        ("GET", "/jobs/stats", "/jobs/stats", null, null, Admins),
        ("PUT", "/jobs/stats", "/jobs/stats", null, null, Admins),
        ("DELETE", "/jobs/stats", "/jobs/stats", null, null, Admins),
        ("PATCH", "/jobs/stats", "/jobs/stats", null, null, Admins),
        ("GET", "/metrics", "/metrics", null, null, Admins),
        ("GET", "/api/competitions", "/api/competitions", null, null, Everyone),
        ("GET", "/api/competitions/{code}", "/api/competitions/WSC2024", null, null, Everyone),
        ("GET", "/api/members", "/api/members", null, null, Everyone),
        ("POST", "/api/auth/login", "/api/auth/login", """{"userName":"nobody","password":"wrong password"}""", "application/json", Everyone),
        ("POST", "/api/auth/logout", "/api/auth/logout", null, null, SignedIn),
        ("GET", "/api/auth/me", "/api/auth/me", null, null, SignedIn),
        ("POST", "/api/pairing/redeem", "/api/pairing/redeem", """{"code":"AAAA-BBBB"}""", "application/json", Everyone),
        // The Chief Expert's tablet (E-DE) pairs a tablet for itself only; a code for another expert is an organiser's (docs/security.md).
        ("POST", "/api/competitions/{code}/skills/{number:skill}/pairing-codes", $"{S}/pairing-codes", """{"expertId":"E-DE"}""", "application/json", SkillChiefs),
        ("POST", "/api/competitions/{code}/skills/{number:skill}/pairing-codes/status", $"{S}/pairing-codes/status", """{"codes":["AAAAA-BBBBB"]}""", "application/json", SkillChiefs),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/devices", $"{S}/devices", null, null, SkillChiefs),
        ("POST", "/api/competitions/{code}/skills/{number:skill}/devices/{deviceId:guid}/revoke", $"{S}/devices/{Guid.Empty}/revoke", """{"reason":"lost"}""", "application/json", SkillChiefs),
        ("GET", "/api/accounts/", "/api/accounts", null, null, Admins),
        ("POST", "/api/accounts/", "/api/accounts", """{"userName":"x"}""", "application/json", Admins),
        ("GET", "/api/accounts/{id:guid}", $"/api/accounts/{Guid.Empty}", null, null, Admins),
        // Security (#15): password change, account administration, sessions, tablets, the audit, personal API tokens, the API reference page.
        ("POST", "/api/auth/password", "/api/auth/password", """{"userName":"nobody","password":"x","newPassword":"y"}""", "application/json", Everyone),
        ("PUT", "/api/accounts/{id:guid}/roles", $"/api/accounts/{Guid.Empty}/roles", """{"roles":["Organiser"]}""", "application/json", Admins),
        ("POST", "/api/accounts/{id:guid}/disable", $"/api/accounts/{Guid.Empty}/disable", """{"reason":"r"}""", "application/json", Admins),
        ("POST", "/api/accounts/{id:guid}/enable", $"/api/accounts/{Guid.Empty}/enable", null, null, Admins),
        ("POST", "/api/accounts/{id:guid}/reset-password", $"/api/accounts/{Guid.Empty}/reset-password", null, null, Admins),
        ("GET", "/api/sessions/", "/api/sessions", null, null, Admins),
        ("POST", "/api/sessions/{id:guid}/end", $"/api/sessions/{Guid.Empty}/end", null, null, Admins),
        ("GET", "/api/devices/", "/api/devices", null, null, Admins),
        ("POST", "/api/devices/{id:guid}/revoke", $"/api/devices/{Guid.Empty}/revoke", """{"reason":"r"}""", "application/json", Admins),
        ("GET", "/api/security-audit", "/api/security-audit", null, null, Admins),
        ("GET", "/api/me/tokens/", "/api/me/tokens", null, null, [Organiser, Admin, Officer]),
        ("POST", "/api/me/tokens/", "/api/me/tokens", """{"name":""}""", "application/json", [Organiser, Admin, Officer]),
        ("GET", "/api/me/tokens/{id:guid}", $"/api/me/tokens/{Guid.Empty}", null, null, [Organiser, Admin, Officer]),
        ("POST", "/api/me/tokens/{id:guid}/revoke", $"/api/me/tokens/{Guid.Empty}/revoke", null, null, [Organiser, Admin, Officer]),
        ("GET", "/api-docs", "/api-docs/", null, null, Everyone),
        ("GET", "/api-docs/init.js", "/api-docs/init.js", null, null, Everyone),
        ("GET", "/api-docs/skillshub.css", "/api-docs/skillshub.css", null, null, Everyone),
        ("POST", "/api/competitions/", "/api/competitions", """{"code":"!"}""", "application/json", Organisers),
        ("PUT", "/api/competitions/{code}/skills", "/api/competitions/WSC2024/skills", "number,name_en\n", "text/csv", Organisers),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/", S, null, null, Everyone),
        ("PUT", "/api/competitions/{code}/skills/{number:skill}/competitors", $"{S}/competitors", MarkingScenario.CompetitorsCsv, "text/csv", Organisers),
        ("DELETE", "/api/competitions/{code}/skills/{number:skill}/competitors/{competitorId}", $"{S}/competitors/NOBODY-07", null, null, Organisers),
        ("PUT", "/api/competitions/{code}/skills/{number:skill}/experts", $"{S}/experts", MarkingScenario.ExpertsCsv, "text/csv", Organisers),
        ("DELETE", "/api/competitions/{code}/skills/{number:skill}/experts/{expertId}", $"{S}/experts/NOBODY", null, null, Organisers),
        ("PUT", "/api/competitions/{code}/skills/{number:skill}/scheme", $"{S}/scheme", MarkingScenario.SchemeJson, "application/json", Organisers),
        ("PUT", "/api/competitions/{code}/skills/{number:skill}/marking-groups", $"{S}/marking-groups", MarkingScenario.GroupsCsv, "text/csv", Organisers),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/competitors", $"{S}/competitors", null, null, Everyone),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/experts", $"{S}/experts", null, null, SkillChiefs),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/marking-groups", $"{S}/marking-groups", null, null, SkillChiefs),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/scheme", $"{S}/scheme", null, null, [Expert, Chief, Organiser, Admin]),
        ("POST", "/api/competitions/{code}/skills/{number:skill}/locks", $"{S}/locks", """{"target":"nope"}""", "application/json", SkillChiefs),
        ("POST", "/api/competitions/{code}/skills/{number:skill}/locks/{target}/unlock", $"{S}/locks/nope/unlock", """{"reason":"r"}""", "application/json", SkillChiefs),
        ("PUT", "/api/competitions/{code}/skills/{number:skill}/visibility", $"{S}/visibility", """{"mode":"Live"}""", "application/json", Organisers),
        ("POST", "/api/competitions/{code}/skills/{number:skill}/publish", "/api/competitions/WSC2024/skills/08/publish", null, null, Organisers),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/audit", $"{S}/audit", null, null, SkillChiefs),
        ("POST", "/api/competitions/{code}/skills/{number:skill}/marks", $"{S}/marks", """{"competitorId":"KR-07","marks":[{"aspectId":"Z9.9","achieved":true}]}""", "application/json", Tablets),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/competitors/{competitorId}/sheet", $"{S}/competitors/KR-07/sheet", null, null, SkillChiefs),
        ("GET", "/api/me/assignment", "/api/me/assignment", null, null, Tablets),
        ("GET", "/api/me/sheet/{competitorId}", "/api/me/sheet/KR-07", null, null, Tablets),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/standings", $"{S}/standings", null, null, Everyone),
        ("GET", "/api/competitions/{code}/results", "/api/competitions/WSC2024/results", null, null, Everyone),
        ("GET", "/api/competitions/{code}/reports/{kind}", "/api/competitions/WSC2024/reports/total-medal-points", null, null, Everyone),
        ("GET", "/api/competitions/{code}/results.csv", "/api/competitions/WSC2024/results.csv", null, null, Organisers),
        // Judging report (#19): the skill's Chief Expert, organisers and admins; competition-wide for organisers and admins.
        ("GET", "/api/competitions/{code}/skills/{number:skill}/judging-report", $"{S}/judging-report", null, null, SkillChiefs),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/judging-report.csv", $"{S}/judging-report.csv", null, null, SkillChiefs),
        ("GET", "/api/competitions/{code}/skills/{number:skill}/judging-report.pdf", $"{S}/judging-report.pdf", null, null, SkillChiefs),
        ("GET", "/api/competitions/{code}/judging-report", "/api/competitions/WSC2024/judging-report", null, null, Organisers),
        ("GET", "/api/competitions/{code}/judging-report.csv", "/api/competitions/WSC2024/judging-report.csv", null, null, Organisers),
        ("GET", "/judge/{**rest}", "/judge", null, null, Everyone),
        ("GET", "/board/{code}", "/board/WSC2024", null, null, Everyone),
        ("GET", "/board/{code}/{skill:skill}", "/board/WSC2024/07", null, null, Everyone),
        ("POST", "/hubs/leaderboard/negotiate", "/hubs/leaderboard/negotiate?negotiateVersion=1", null, null, Everyone),
        ("GET", "/hubs/leaderboard/negotiate", "/hubs/leaderboard/negotiate", null, null, Everyone),
        ("GET", "/hubs/leaderboard", "/hubs/leaderboard", null, null, Everyone),
        ("GET", "/console/{**rest}", "/console", null, null, Everyone),
        // Certification (#7): agency officers' API, public lookups and pages, admin endpoints.
        ("GET", "/api/agency/", "/api/agency", null, null, Officers),
        ("GET", "/api/agency/sessions", "/api/agency/sessions", null, null, Officers),
        ("POST", "/api/agency/sessions", "/api/agency/sessions", """{"occupation":"x"}""", "application/json", Officers),
        ("GET", "/api/agency/sessions/{id:long}", "/api/agency/sessions/1", null, null, Officers),
        ("POST", "/api/agency/sessions/{id:long}/candidates", "/api/agency/sessions/1/candidates", "name\n", "text/csv", Officers),
        ("POST", "/api/agency/sessions/{id:long}/results", "/api/agency/sessions/1/results", "id_type\n", "text/csv", Officers),
        ("GET", "/api/agency/imports/{id:guid}", $"/api/agency/imports/{Guid.Empty}", null, null, Officers),
        ("GET", "/api/agency/imports/{id:guid}/errors.csv", $"/api/agency/imports/{Guid.Empty}/errors.csv", null, null, Officers),
        ("POST", "/api/agency/sessions/{id:long}/rate", "/api/agency/sessions/1/rate", null, null, Officers),
        ("POST", "/api/agency/sessions/{id:long}/issue", "/api/agency/sessions/1/issue", null, null, Officers),
        ("GET", "/api/agency/sessions/{id:long}/rating-preview", "/api/agency/sessions/1/rating-preview", null, null, Officers),
        ("GET", "/api/agency/runs/{id:guid}", $"/api/agency/runs/{Guid.Empty}", null, null, Officers),
        ("GET", "/api/agency/sessions/{id:long}/decisions", "/api/agency/sessions/1/decisions", null, null, Officers),
        ("GET", "/api/agency/sessions/{id:long}/certificates", "/api/agency/sessions/1/certificates", null, null, Officers),
        ("POST", "/api/agency/appointments", "/api/agency/appointments", """{"level":"x"}""", "application/json", Officers),
        ("GET", "/api/agency/promotions/", "/api/agency/promotions", null, null, Officers),
        ("POST", "/api/agency/promotions/{id:long}/certificate", "/api/agency/promotions/1/certificate", """{"idType":"x"}""", "application/json", Officers),
        ("GET", "/api/certificates/{number}", "/api/certificates/S000031000001255000001", null, null, Everyone),
        ("POST", "/api/certificates/{number}/disclose", "/api/certificates/S000031000001255000001/disclose", """{"name":"x"}""", "application/json", Everyone),
        ("POST", "/api/certificates/search", "/api/certificates/search", """{"name":"x","idNumber":"1"}""", "application/json", Everyone),
        ("GET", "/api/occupations", "/api/occupations", null, null, Everyone),
        ("POST", "/api/certification/agencies", "/api/certification/agencies", "{}", "application/json", Admins),
        ("GET", "/api/certification/agencies", "/api/certification/agencies", null, null, Admins),
        ("GET", "/api/certification/agencies/{key}", "/api/certification/agencies/S000031000001", null, null, Admins),
        ("POST", "/api/certification/occupations", "/api/certification/occupations", "code\n", "text/csv", Admins),
        ("GET", "/api/certification/imports/{id:guid}", $"/api/certification/imports/{Guid.Empty}", null, null, Admins),
        ("GET", "/api/certification/findings", "/api/certification/findings", null, null, Admins),
        ("POST", "/api/certification/consistency-check", "/api/certification/consistency-check", null, null, Admins),
        ("POST", "/api/certification/promotions/run", "/api/certification/promotions/run", null, null, Admins),
        ("PUT", "/api/certification/promotion-rules/{competition}", "/api/certification/promotion-rules/WSC2024", "{}", "application/json", Organisers),
        ("GET", "/agency", "/agency", null, null, Everyone),
        ("GET", "/verify", "/verify", null, null, Everyone),
        ("GET", "/verify/{number}", "/verify/S000031000001255000001", null, null, Everyone),
        // Credentials (#8): public issuer profiles, status lists, downloads and verification; the issuing agency's changes and bundles.
        ("GET", "/api/issuers/{agencyKey}", "/api/issuers/S000031000001", null, null, Everyone),
        ("GET", "/api/status-lists/{agencyKey}/{purpose}", "/api/status-lists/S000031000001/revocation", null, null, Everyone),
        ("GET", "/api/competitions/{code}/events", "/api/competitions/WSC2024/events?since=-1", null, null, Everyone),
        ("GET", "/api/issuers/{agencyKey}/jwks.json", "/api/issuers/S000031000001/jwks.json", null, null, Everyone),
        ("GET", "/api/issuers/{agencyKey}/keys/{keyId}", "/api/issuers/S000031000001/keys/key-1", null, null, Everyone),
        ("GET", "/.well-known/jwks.json", "/.well-known/jwks.json", null, null, Everyone),
        ("GET", "/ns/skillshub/v1", "/ns/skillshub/v1", null, null, Everyone),
        ("GET", "/api/credentials/{number}", "/api/credentials/S000031000001255000001", null, null, Everyone),
        ("GET", "/api/certificates/{number}/pdf", "/api/certificates/S000031000001255000001/pdf", null, null, Everyone),
        ("POST", "/api/credentials/verify", "/api/credentials/verify", "\"a.b.c\"", "application/json", Everyone),
        ("POST", "/api/agency/certificates/{number}/revoke", "/api/agency/certificates/S000031000001255000001/revoke", """{"reason":"r"}""", "application/json", Officers),
        ("POST", "/api/agency/certificates/{number}/suspend", "/api/agency/certificates/S000031000001255000001/suspend", """{"reason":"r"}""", "application/json", Officers),
        ("POST", "/api/agency/certificates/{number}/reinstate", "/api/agency/certificates/S000031000001255000001/reinstate", """{"reason":"r"}""", "application/json", Officers),
        ("PUT", "/api/agency/certificates/{number}/photo", "/api/agency/certificates/S000031000001255000001/photo", "x", "text/plain", Officers),
        ("POST", "/api/agency/sessions/{id:long}/bundle", "/api/agency/sessions/1/bundle", null, null, Officers),
        ("GET", "/api/agency/bundles/{id:guid}", $"/api/agency/bundles/{Guid.Empty}", null, null, Officers),
        ("GET", "/api/agency/bundles/{id:guid}/download", $"/api/agency/bundles/{Guid.Empty}/download", null, null, Officers),
    ];

    [Fact]
    public async Task EveryEndpoint_AsEveryRole_MatchesTheTable()
    {
        var node = shared.Node;
        var scenario = await MarkingScenario.CreateAsync(node);
        var clients = new Dictionary<string, HttpClient>
        {
            [Anon] = node.Client(),
            [Expert] = scenario.Experts["E-FR"],
            [Chief] = scenario.Experts["E-DE"],
            [Organiser] = scenario.Organiser,
            [Admin] = await MarkingScenario.SignInAsync(node, "admin-user", ["Admin"]),
            [Officer] = await MarkingScenario.SignInAsync(node, "officer-user", ["AgencyOfficer"], "S0001"),
        };

        var mismatches = new List<string>();
        foreach (var (method, _, path, body, type, allowed) in Table)
        {
            // Signed-in roles sign out at the end, so their sessions stay valid for the rest of the table.
            foreach (var role in path == "/api/auth/logout" ? [Anon] : AllRoles)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, type!);
                }
                request.Headers.Add("Idempotency-Key", $"traversal-{role}");
                var response = await clients[role].SendAsync(request);
                var denied = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && !await IsBusinessRefusal(response);
                var expectedAllowed = allowed.Contains(role);
                if (denied == expectedAllowed)
                {
                    mismatches.Add($"{method} {path} as {role}: {(int)response.StatusCode}, expected {(expectedAllowed ? "allowed" : "denied")}");
                }
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    mismatches.Add($"{method} {path} as {role}: 500");
                }
            }
        }
        foreach (var role in SignedIn)
        {
            var response = await clients[role].PostAsync("/api/auth/logout", null);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                mismatches.Add($"POST /api/auth/logout as {role}: {(int)response.StatusCode}");
            }
        }
        Assert.Empty(mismatches);
    }

    [Fact]
    public void EveryMappedEndpoint_IsInTheTable_AndNamesItsPolicy()
    {
        var node = shared.Node;
        var endpoints = node.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var known = Table.Select(t => (t.Method, Pattern: Normalise(t.Pattern))).ToHashSet();
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var pattern = Normalise(endpoint.RoutePattern.RawText ?? "");
            foreach (var method in methods.Where(m => m != "HEAD" && m != "OPTIONS"))
            {
                if (!known.Contains((method, pattern)))
                {
                    problems.Add($"not in the table: {method} {pattern}");
                }
            }
            if (!endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null))
            {
                problems.Add($"no explicit policy: {pattern}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    static string Normalise(string pattern) => "/" + pattern.Trim('/');

    static async Task<bool> IsBusinessRefusal(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        // Policy denials carry the bare status problem; refusals by the endpoint itself explain themselves.
        return text.Contains("\"detail\"", StringComparison.Ordinal);
    }
}
