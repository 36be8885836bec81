using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SkillsHub.Testing;

namespace SkillsHub.Web.Tests;

/// <summary>
/// Findings of outside testers on the live boards (docs/pages.md, "Big screen" and "Accessibility"): a hall screen whose
/// award banner and title left no room for the medal table's rows, moves up that the news region dropped, and standings
/// not said to be provisional before results are published.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BoardHallTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    const string LatinName = "Maximiliane Alexandrina von Hohenzollern-Sigmaringen"; // 52 characters
    static readonly string ChineseName = string.Concat(Enumerable.Repeat("欧阳司马诸葛长孙慕容", 4)); // 40 characters
    const string LongTitle = "International Vocational Skills Championship of the Alps"; // 55 characters

    /// <summary>
    /// Four marks in quick succession, each moving a different competitor up: every competitor who moved up during a
    /// window of the news region is said when it ends, not only the movers of its last update (found by an outside tester:
    /// one moved up by an earlier update of the window was never said).
    /// </summary>
    [Fact]
    public async Task BoardNews_SaysEveryMoveUpOfTheWindow_NotOnlyTheLastUpdates()
    {
        var code = NodeFixture.NewCode("NW");
        var scenario = await MarkingScenario.CreateAsync(browser.Node, code, """
            id,member,first_name,last_name
            NW-FR,FR,Louis,Martin
            NW-CN,CN,Wei,Zhang
            NW-KR,KR,Minjun,Kim
            NW-BR,BR,Ana,Souza
            NW-DE,DE,Lena,Weber
            """);
        var expert = scenario.Experts["E-JP"];
        async Task Mark(string competitor, params string[] aspects) =>
            (await scenario.MarkAsync(expert, competitor, "news-" + Guid.NewGuid(), [.. aspects.Select(a => new { aspectId = a, achieved = true })])).EnsureSuccessStatusCode();
        // 70, 40, 30, 0, 0: places 1, 2, 3, 4, 4.
        await Mark("NW-FR", "A1.1", "B1.1");
        await Mark("NW-CN", "A1.1");
        await Mark("NW-KR", "B1.1");
        var page = await browser.NewPageAsync(390, 844);
        await page.GotoAsync($"/board/{code}/07");
        Task Place(string competitor, string place) => Assertions.Expect(page.Locator($"tr[data-competitor={competitor}] td.rank")).ToHaveTextAsync(new Regex($"^{place}"));
        await Place("NW-KR", "3");
        await Place("NW-DE", "4");
        await page.EvaluateAsync("() => { window.said = []; new MutationObserver(() => window.said.push(document.getElementById('board-news').textContent)).observe(document.getElementById('board-news'), { childList: true, characterData: true, subtree: true }); }");
        var news = page.Locator("#board-news");
        // Said at once, and a window of 5 s starts: Lena Weber up to 2.
        await Mark("NW-DE", "A1.1");
        await Assertions.Expect(news).ToContainTextAsync("Lena Weber up 2 to place 2");
        // Within the window: Ana Souza up from 5 to 4 (beside Minjun Kim), then Wei Zhang up from 2 to 1 (Lena Weber down to 3,
        // Ana Souza still 4).
        await Mark("NW-BR", "B1.1");
        await Place("NW-BR", "4");
        await Mark("NW-CN", "B1.1");
        await Place("NW-CN", "1");
        await Assertions.Expect(news).ToContainTextAsync("Wei Zhang up 1 to place 1", new() { Timeout = 15000 });
        var said = await page.EvaluateAsync<string[]>("() => window.said");
        Assert.True(said.Any(s => s.Contains("Ana Souza up 1 to place 4")), $"said: {string.Join(" | ", said)}");
    }
}
