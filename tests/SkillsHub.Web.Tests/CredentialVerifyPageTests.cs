using System.IO.Compression;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Npgsql;
using SkillsHub.Domain.Certification;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Credentials;
using SkillsHub.Server.Security;

namespace SkillsHub.Web.Tests;

/// <summary>The public verify page shows each status (valid, revoked with reason, suspended, expired) in both languages.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CredentialVerifyPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    const string Agency = "S000031000077";
    const string Electrician = "6-31-01-03";

    [Fact]
    public async Task VerifyPage_ShowsEachStatus_InBothLanguages()
    {
        var services = browser.Node.Services;
        await services.GetRequiredService<AgencyStore>().CreateAgencyAsync(AgencyKey.Parse(Agency), "证书测试评价中心 Credential Test Evaluation Centre",
            [(Electrician, SkillLevel.Level3)], default);
        var numbers = Enumerable.Range(1, 4).Select(i => $"{Agency}253{i:000000}").ToList();
        await using (var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            // Certificates straight in SQL: this test is about showing their status, not issuing them. Each keeps the validity
            // it was issued with (three years), as issuance stores it.
            await using var command = new NpgsqlCommand("""
                update skillshub.occupations set certificate_validity_years = 3 where code = @occupation;
                insert into skillshub.candidates (id_type, id_number, name) select 'passport', 'V000000' || g, '持证人' || g from generate_series(1, 4) g;
                insert into skillshub.certificates (number, candidate_id, holder_name, id_type, id_number, occupation_code, level, agency_key, issue_year, serial, issued_on, validity_years)
                select @agency || '253' || lpad(g::text, 6, '0'), c.id, c.name, 'passport', c.id_number, @occupation, 3, @agency, 25, g,
                       case when g = 4 then date '2020-01-10' else current_date end, 3
                from generate_series(1, 4) g join skillshub.candidates c on c.id_number = 'V000000' || g;
                with s as (insert into skillshub.evaluation_sessions (agency_key, occupation_code, level, exam_on, created_by) values (@agency, @occupation, 3, '2025-06-01', 'test') returning id)
                insert into skillshub.evaluations (session_id, candidate_id, theory, practical, certificate_number)
                select s.id, c.candidate_id, 80, 80, c.number from s, skillshub.certificates c where c.agency_key = @agency;
                """, connection);
            command.Parameters.AddWithValue("agency", Agency);
            command.Parameters.AddWithValue("occupation", Electrician);
            await command.ExecuteNonQueryAsync();
        }
        var issuer = services.GetRequiredService<CredentialIssuer>();
        var urls = new CredentialUrls(browser.Node.BaseAddress.ToString().TrimEnd('/'));
        Assert.Equal("revoked", (await issuer.ChangeStatusAsync(Agency, numbers[1], "revoke", "证书材料造假 Falsified application documents", "officer", urls, default)).Outcome);
        Assert.Equal("suspended", (await issuer.ChangeStatusAsync(Agency, numbers[2], "suspend", "复核中\nUnder review", "officer", urls, default)).Outcome);

        var page = await browser.NewPageAsync(900, 1000);
        var expected = new (string Number, string Status, string Text, string? Reason)[]
        {
            (numbers[0], "valid", "Valid", null),
            (numbers[1], "revoked", "Revoked", "Falsified application documents"),
            (numbers[2], "suspended", "Suspended", "Under review"),
            (numbers[3], "expired", "Expired", null),
        };
        foreach (var (number, status, text, reason) in expected)
        {
            // The QR code's link: the access token opens the full record at once (docs/security.md).
            var token = browser.Node.Services.GetRequiredService<SkillsHub.Server.Certification.RegistryTokens>().For(number);
            await page.GotoAsync($"/verify/{number}?t={token}");
            var card = page.Locator($"article.certificate[data-number='{number}']");
            await Assertions.Expect(card.Locator("form.disclose")).ToHaveCountAsync(0);
            var badge = card.Locator("dd[data-field='cert.status'] .badge");
            await Assertions.Expect(badge).ToHaveTextAsync(text);
            await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", status);
            // A certificate that does not prove its level says so first, above its title, which the banner describes (found
            // by an outside tester: a revoked one looked valid, its status a chip near the bottom); a revoked one has no
            // "Valid until".
            var banner = card.Locator(".status-banner");
            if (status == "valid")
            {
                await Assertions.Expect(banner).ToHaveCountAsync(0);
            }
            else
            {
                await Assertions.Expect(banner).ToContainTextAsync(status == "revoked" ? "has been revoked" : status == "suspended" ? "is suspended" : "has expired");
                Assert.True(await card.EvaluateAsync<bool>("(a) => a.firstElementChild.classList.contains('status-banner') && a.querySelector('.cert-title').getAttribute('aria-describedby') === a.firstElementChild.id"));
            }
            await Assertions.Expect(card.Locator("dd[data-field='cert.validUntil']")).ToHaveCountAsync(status == "revoked" ? 0 : 1);
            await Assertions.Expect(card.Locator("dd[data-field='cert.id']")).ToHaveTextAsync($"****000{number[^1]}");
            await Assertions.Expect(card).Not.ToContainTextAsync("V000000");
            // No type of work on file: said in words, not the registry's "--" (docs/pages.md, "Languages"; an outside reviewer).
            await Assertions.Expect(card.Locator("dd[data-field='cert.workType']")).ToHaveTextAsync("Not stated");
            await Assertions.Expect(card).Not.ToContainTextAsync("--");
            if (reason is null)
            {
                await Assertions.Expect(card.Locator(".status-reason")).ToHaveCountAsync(0);
            }
            else
            {
                await Assertions.Expect(card.Locator(".status-reason")).ToContainTextAsync(reason);
                // A reason on several lines keeps them (found by an outside tester: the suspension's two lines ran into one).
                var lines = await card.Locator(".status-reason").EvaluateAsync<int>("""
                    (e) => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size; }
                    """);
                Assert.Equal(status == "suspended" ? 2 : 1, lines);
            }
            await Assertions.Expect(card.Locator($"a[href='/api/certificates/{number}/pdf?t={token}']")).ToHaveCountAsync(1);
            await Assertions.Expect(card.Locator($"a[href='/api/credentials/{number}?t={token}']")).ToHaveCountAsync(1);
            // First on screen and first in the page: its title has the focus, and the next Tab reaches its own links before
            // any form field (an outside tester: CSS drew it first, and the keyboard met it after every field of both forms).
            await Assertions.Expect(card.Locator(".cert-title")).ToBeFocusedAsync();
            // Under the page's heading, though: the headings stay in order, h1 first (found by an outside tester).
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('main .hero').nextElementSibling.id === 'results' && document.querySelector('h1, h2, h3').tagName === 'H1'"));
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.closest('article.certificate') !== null"), "Tab left the certificate");
            await Screenshots.SaveAsync(page, $"verify-{status}.png", fullPage: true);
        }
        // Dates as the landing page writes them, one certificate in the singular (an outside tester saw raw ISO dates and
        // "1 certificate(s) found.").
        await Assertions.Expect(page.Locator("article.certificate dd[data-field='cert.validUntil']")).ToHaveTextAsync("10 Jan 2023");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("1 certificate found.");
        Assert.Equal("SkillsHub", (await page.TitleAsync())[^9..]);

        // In Chinese everything switches, the status too (docs/pages.md, "Languages": no English words but names and codes).
        await page.Locator("#lang").ClickAsync();
        await Assertions.Expect(page.Locator("article.certificate dt").Filter(new() { HasText = "有效期至" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("article.certificate .badge")).ToHaveTextAsync("已过期");
        await Assertions.Expect(page.Locator("article.certificate dd[data-field='cert.validUntil']")).ToHaveTextAsync("2023年1月10日");
        await Assertions.Expect(page.Locator("article.certificate dd[data-field='cert.workType']")).ToHaveTextAsync("未注明");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("查到 1 本证书。");
        await Assertions.Expect(page).ToHaveTitleAsync("证书查询 · SkillsHub");

        // The credential behind the download link verifies, and reports the revocation with its reason.
        using var http = SkillsHub.Testing.TestNode.Client(browser.Node);
        var revoked = await http.GetStringAsync($"/api/credentials/{numbers[1]}?t={browser.Node.Services.GetRequiredService<SkillsHub.Server.Certification.RegistryTokens>().For(numbers[1])}");
        var result = await (await http.PostAsync("/api/credentials/verify", new StringContent(revoked))).Content.ReadAsStringAsync();
        Assert.Contains("Falsified application documents", result);
        Assert.Contains("\"verified\":false", result);

        // The agency page builds the session's ZIP with a progress bar, then offers the download.
        var officer = await OfficerPageAsync();
        await officer.GotoAsync("/agency");
        await officer.Locator("#sessions button").First.ClickAsync();
        await Assertions.Expect(officer.Locator("#session-panel")).ToBeVisibleAsync();
        await officer.GetByRole(AriaRole.Button, new() { Name = "Download all (ZIP)" }).ClickAsync();
        await Assertions.Expect(officer.Locator("#bundle-download")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(officer.Locator(".bundle-progress")).ToContainTextAsync("ZIP ready");
        await Assertions.Expect(officer.Locator("#progress progress")).ToHaveAttributeAsync("value", "4");
        await Screenshots.SaveAsync(officer, "agency-bundle.png", fullPage: true);
        var download = await officer.RunAndWaitForDownloadAsync(() => officer.Locator("#bundle-download").ClickAsync());
        var saved = Path.Combine(Screenshots.Directory, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        using var zip = ZipFile.OpenRead(saved);
        Assert.Equal(12, zip.Entries.Count);
    }

    /// <summary>A browser context carrying an agency officer's session cookie (minted with the node's own data protection).</summary>
    async Task<IPage> OfficerPageAsync()
    {
        return await browser.SignedInPageAsync("officer-credentials", [Roles.AgencyOfficer], Agency);
    }
}
