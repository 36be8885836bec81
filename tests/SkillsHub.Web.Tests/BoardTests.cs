using Microsoft.Playwright;
using SkillsHub.Testing;

namespace SkillsHub.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BoardTests(BrowserFixture browser)
{
    [Fact]
    public async Task SkillBoard_ShowsAMarkEnteredThroughTheApi_WithoutReloading()
    {
        var scenario = await MarkingScenario.CreateAsync(browser.Node);
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/board/WSC2024/07");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CNC Milling");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        var rows = page.Locator("table.standings tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);

        var response = await MarkingScenario.Mark(scenario.Experts["E-FR"], "KR-07", "board-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true });
        response.EnsureSuccessStatusCode();

        var korea = page.Locator("tr[data-competitor=KR-07]");
        await Assertions.Expect(korea.Locator("td").Nth(3)).ToHaveTextAsync("40.00", new() { Timeout = 5000 });
        // Other browser tests share this node and may have marked too, so only the medal's presence is checked.
        await Assertions.Expect(korea.Locator(".medal")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "board-skill.png") });

        var phone = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync("/board/WSC2024/07");
        await Assertions.Expect(phone.Locator("tr[data-competitor=KR-07] td").Nth(4)).Not.ToBeEmptyAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "board-phone.png") });
    }

    [Fact]
    public async Task BigScreen_RotatesThroughSkills()
    {
        var scenario = await MarkingScenario.CreateAsync(browser.Node);
        (await MarkingScenario.Mark(scenario.Experts["E-KR"], "CN-07", "rot-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        var page = await browser.NewPageAsync(1920, 1080);
        await page.GotoAsync("/board/WSC2024?screen=1&rotate=3");
        await Assertions.Expect(page.Locator("body")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("screen"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("WorldSkills Lyon 2024");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "board-screen-medals.png") });

        // No interaction: the screen moves on to the skill with standings, then back to the medal table.
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CNC Milling", new() { Timeout = 8000 });
        await Assertions.Expect(page.Locator("table.standings tbody tr")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "board-screen-skill.png") });
        // Other browser tests give further skills standings (each a 3 s turn) before the medal table's turn.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("WorldSkills Lyon 2024", new() { Timeout = 20000 });
    }
}
