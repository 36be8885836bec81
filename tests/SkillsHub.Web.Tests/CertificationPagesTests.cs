using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Security;

namespace SkillsHub.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class CertificationPagesTests(BrowserFixture browser)
{
    const string Agency = "S000031000005";
    const string Welder = "6-18-02-04";

    [Fact]
    public async Task Agency_UploadRateIssue_ThenVerifyInBothLanguages()
    {
        var store = browser.Node.Services.GetRequiredService<CertificationStore>();
        await store.CreateAgencyAsync(AgencyKey.Parse(Agency), "上海焊接技能评价中心 Shanghai Welding Evaluation Centre",
            [(Welder, SkillLevel.Level5), (Welder, SkillLevel.Level4), (Welder, SkillLevel.Level2)], default);

        // Not signed in: the page offers the sign-in form.
        var anonymous = await browser.NewPageAsync();
        await anonymous.GotoAsync("/agency");
        await Assertions.Expect(anonymous.Locator("#signin")).ToBeVisibleAsync();
        await anonymous.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "agency-signin.png") });

        var page = await OfficerPageAsync();
        await page.GotoAsync("/agency");
        await Assertions.Expect(page.Locator("#agency-name")).ToContainTextAsync(Agency);
        await Assertions.Expect(page.Locator("#scope")).ToContainTextAsync("Welder");

        await page.SelectOptionAsync("#occupation", Welder);
        await page.SelectOptionAsync("#level", "5");
        await page.FillAsync("#exam-on", "2025-06-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create session" }).ClickAsync();
        await Assertions.Expect(page.Locator("#session-panel")).ToBeVisibleAsync();

        await page.SetInputFilesAsync("#candidates-file", new FilePayload
        {
            Name = "candidates.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("""
                name,id_type,id_number,education,in_occupation_since,held_level,held_since
                张伟,resident,11010119900307651X,none,2020-01-01,,
                Li Na,passport,P0000002,none,2020-01-01,,
                Wang Lei,passport,P0000003,none,2025-01-01,,
                """),
        });
        await Assertions.Expect(page.Locator("#progress")).ToContainTextAsync("candidates.csv: 3 row(s) stored");
        await page.SetInputFilesAsync("#results-file", new FilePayload
        {
            Name = "results.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("""
                id_type,id_number,theory,practical,review
                resident,11010119900307651X,78,85,
                passport,P0000002,52,90,
                passport,P0000003,90,90,
                """),
        });
        await Assertions.Expect(page.Locator("#progress")).ToContainTextAsync("results.csv: 3 row(s) stored");

        await page.GetByRole(AriaRole.Button, new() { Name = "Rate candidates" }).ClickAsync();
        await Assertions.Expect(page.Locator("#decisions")).ToContainTextAsync("ineligible");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue certificates" }).ClickAsync();
        var certificate = page.Locator("#decisions a.mono");
        await Assertions.Expect(certificate).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#decisions")).ToContainTextAsync("**************651X");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "agency-issued.png"), FullPage = true });
        var number = await certificate.TextContentAsync();
        Assert.Matches("^S000031000005\\d{2}5000001$", number);

        // The public verification page, opened from the link, with no sign-in.
        var verify = await browser.NewPageAsync(390, 844);
        await verify.GotoAsync($"/verify/{number}");
        var card = verify.Locator($"article.certificate[data-number='{number}']");
        await Assertions.Expect(card).ToContainTextAsync("张伟");
        await Assertions.Expect(card).ToContainTextAsync("**************651X");
        await Assertions.Expect(card).Not.ToContainTextAsync("11010119900307651X");
        await Assertions.Expect(card).ToContainTextAsync("Level 5 / Junior worker");
        await verify.GetByRole(AriaRole.Button, new() { Name = "Language" }).ClickAsync();
        await Assertions.Expect(card.Locator("dd[data-field='cert.level']")).ToHaveTextAsync("五级/初级工");
        await Assertions.Expect(verify.Locator("h1")).ToHaveTextAsync("职业技能等级证书查询");
        await verify.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "verify-zh-phone.png"), FullPage = true });

        // An unknown number: the same not-found message, no details.
        await verify.GotoAsync("/verify/S000031000005995999999");
        await Assertions.Expect(verify.Locator("#status")).ToContainTextAsync("未查到证书");
        await Assertions.Expect(verify.Locator("article.certificate")).ToHaveCountAsync(0);
    }

    /// <summary>A browser context carrying an agency officer's session cookie (minted with the node's own data protection).</summary>
    async Task<IPage> OfficerPageAsync()
    {
        var scheme = CookieAuthenticationDefaults.AuthenticationScheme;
        var options = browser.Node.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        var claims = new[]
        {
            new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Name, "officer-web"),
            new Claim(ClaimTypes.Role, Roles.AgencyOfficer), new Claim(SkillsHubClaims.Agency, Agency),
        };
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, scheme)), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, scheme);
        var page = await browser.NewPageAsync();
        await page.Context.AddCookiesAsync([new Cookie { Name = options.Cookie.Name!, Value = options.TicketDataFormat.Protect(ticket), Url = browser.Node.BaseAddress.ToString() }]);
        return page;
    }
}
