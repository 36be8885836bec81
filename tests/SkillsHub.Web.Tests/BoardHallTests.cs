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
    /// The hall screen's medal-table turn with sixteen competitors tied for the Albert Vidal Award (long Latin and Chinese
    /// names) and a 55-character title: it fits without scrolling and pages the medal table several rows a page, at 1080p,
    /// at 4K and in Chinese (found by an outside tester: the banner grew to 11 lines and the title to two, the page gave up
    /// paging at 1080p and scrolled 6,100 px, and at 4K showed one row of 60 a page).
    /// </summary>
    [Theory]
    [InlineData("en-GB", 1920, 1080)]
    [InlineData("en-GB", 3840, 2160)]
    [InlineData("zh-CN", 1920, 1080)]
    public async Task HallScreen_TiedAwardWinnersAndALongTitle_LeaveRoomForSeveralRowsAPage(string locale, int width, int height)
    {
        var scenario = await MarkingScenario.CreateAsync(browser.Node);
        (await MarkingScenario.Mark(scenario.Experts["E-KR"], "CN-07", "hall-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        var page = await browser.NewPageAsync(width, height, locale);
        string Name(int i) => (i % 3) switch { 0 => LatinName, 1 => ChineseName, _ => $"Competitor {i}" };
        await BoardReads.ServeChangedAsync(page, "/api/competitions/WSC2024(/results)?$", json =>
        {
            if (!json.ContainsKey("medalTable"))
            {
                json["name"] = LongTitle;
                json["nameZh"] = "阿尔卑斯国际职业技能锦标赛暨青年技能人才交流展示大会开幕式";
                return;
            }
            json["medalTable"] = JsonSerializer.SerializeToNode(Enumerable.Range(0, 60).Select(i => new
            {
                memberCode = $"{(char)('A' + i / 26)}{(char)('A' + i % 26)}", memberName = $"Member {i}", gold = i < 16 ? 1 : 0, silver = 0, bronze = 0,
                medallions = i < 16 ? 0 : 1, medalPoints = i < 16 ? 4 : 1, skillsEntered = 1,
            }));
            json["albertVidal"] = JsonSerializer.SerializeToNode(Enumerable.Range(0, 16).Select(i => new
            {
                competitorId = $"X{i:00}-07", name = Name(i), memberCode = $"{(char)('A' + i / 26)}{(char)('A' + i % 26)}", skillNumber = 7, scaled = 838,
            }));
            json["leaders"] = BoardReads.Leaders([.. Enumerable.Range(0, 16).Select(i => (7, "FR", Name(i), 838))]);
        });
        await page.GotoAsync("/board/WSC2024?screen=1&rotate=600");
        var medals = page.Locator("table.medals tbody tr:visible");
        await Assertions.Expect(medals.First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(300);
        await Screenshots.SaveAsync(page, $"hall-tied-award-{locale}-{width}x{height}.png");
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollHeight, window.innerHeight]");
        Assert.True(sizes[0] <= sizes[1], $"scrollHeight {sizes[0]} > innerHeight {sizes[1]}");
        Assert.Null(await page.Locator("body").GetAttributeAsync("data-paging"));
        Assert.True(await medals.CountAsync() >= 4, $"{await medals.CountAsync()} rows of the medal table a page");
        // The title on one line, its whole text its tooltip.
        var title = page.Locator(".board-head h1");
        var lines = await title.EvaluateAsync<double>("h => h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight === 'normal' ? 1.2 * parseFloat(getComputedStyle(h).fontSize) : getComputedStyle(h).lineHeight)");
        Assert.True(lines < 1.5, $"the title takes {lines:0.0} lines");
        Assert.Equal(locale == "zh-CN" ? "阿尔卑斯国际职业技能锦标赛暨青年技能人才交流展示大会开幕式" : LongTitle, await title.GetAttributeAsync("title"));
        // The banner names a few winners and counts the rest.
        await Assertions.Expect(page.Locator(".banner.award")).ToContainTextAsync(locale == "zh-CN" ? "另有 13 人" : "and 13 more");
        // Listed the page's way: full-width brackets and 、 in Chinese (found by an outside tester: "Wei Zhang (CN, 780), ...").
        var banner = await page.Locator(".banner.award").TextContentAsync() ?? "";
        Assert.Matches(locale == "zh-CN" ? @"（[A-Z]{2}，\d{3}）、" : @" \([A-Z]{2},\u00a0\d{3}\), ", banner);
        // The keyboard's focus shows on the dark screen: a ring of its own (found by an outside tester: barely visible).
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("3px solid", await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineWidth + ' ' + s.outlineStyle; }"));
    }

    /// <summary>
    /// Four marks in quick succession, each moving a different competitor up: every competitor who moved up during a
    /// window of the news region is said when it ends, not only the movers of its last update (found by an outside tester:
    /// one moved up by an earlier update of the window was never said).
    /// </summary>
    /// <summary>
    /// Two competitors tied for first are both the skill's leaders: the competition's board says no new leader when it loads
    /// (found by an outside tester: "New leader" at every load, one tied leader compared with the other), and says the next
    /// real one, in Chinese too (the skill's name, then 的新领先者).
    /// </summary>
    [Theory]
    [InlineData("en-GB", "New leader in 07 · ", ": Wei Zhang.")]
    [InlineData("zh-CN", "07 · ", "的新领先者：Wei Zhang。")]
    public async Task BoardNews_SaysNoNewLeaderOnLoad_WhenTwoShareFirstPlace(string locale, string start, string end)
    {
        var code = NodeFixture.NewCode(locale == "zh-CN" ? "TZ" : "TE");
        var scenario = await MarkingScenario.CreateAsync(browser.Node, code);
        async Task Mark(string expert, string competitor, string aspect) =>
            (await scenario.MarkAsync(scenario.Experts[expert], competitor, "tie-" + Guid.NewGuid(), new { aspectId = aspect, achieved = true })).EnsureSuccessStatusCode();
        await Mark("E-JP", "FR-07", "B1.1");
        await Mark("E-JP", "KR-07", "B1.1");
        var page = await browser.NewPageAsync(390, 844, locale);
        await page.AddInitScriptAsync("""
            window.said = [];
            document.addEventListener('DOMContentLoaded', () => new MutationObserver(() => window.said.push(document.getElementById('board-news').textContent))
              .observe(document.getElementById('board-news'), { childList: true, characterData: true, subtree: true }));
            """);
        await page.GotoAsync($"/board/{code}");
        var leaders = page.Locator(".leaders");
        await Assertions.Expect(leaders).ToContainTextAsync("Louis Martin");
        await Assertions.Expect(leaders).ToContainTextAsync("Minjun Kim");
        // Wei Zhang takes the lead alone: the first thing the region says is that, nothing before it.
        await Mark("E-FR", "CN-07", "A1.1");
        await Assertions.Expect(page.Locator("#board-news")).ToContainTextAsync(end);
        var said = (await page.EvaluateAsync<string[]>("() => window.said")).Where(text => text.Length > 0).Distinct().ToList();
        Assert.True(said.Count == 1 && said[0].StartsWith(start, StringComparison.Ordinal) && said[0].EndsWith(end, StringComparison.Ordinal), string.Join(" | ", said));
    }

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

    /// <summary>
    /// Before a skill's results are published its standings are provisional, and the boards say so, on a phone and on the
    /// hall screen, in both languages; published, they say the results are (found by a usability tester: gold and silver
    /// badges and an award banner on live standings, with judges' scores still missing, and nothing said they could change).
    /// </summary>
    [Theory]
    [InlineData("en-GB", "Provisional: marking in progress.", "Results published.")]
    [InlineData("zh-CN", "暂定成绩：评分进行中。", "成绩已公布。")]
    public async Task Boards_SayStandingsAreProvisional_UntilResultsArePublished(string locale, string provisional, string published)
    {
        var code = NodeFixture.NewCode(locale == "zh-CN" ? "PZ" : "PE");
        var scenario = await MarkingScenario.CreateAsync(browser.Node, code);
        (await scenario.MarkAsync(scenario.Experts["E-JP"], "FR-07", "prov-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        var pages = new List<(IPage Page, string Name)>();
        foreach (var (path, width, height) in new[] { ($"/board/{code}/07", 390, 844), ($"/board/{code}", 390, 844), ($"/board/{code}/07?screen=1", 1920, 1080), ($"/board/{code}?screen=1&rotate=600", 1920, 1080) })
        {
            var page = await browser.NewPageAsync(width, height, locale);
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator(".banner.provisional")).ToHaveTextAsync(provisional);
            pages.Add((page, $"board-provisional-{locale}-{width}{(path.Contains("/07") ? "-skill" : "-medals")}"));
        }
        foreach (var (page, name) in pages)
        {
            await Screenshots.SaveAsync(page, name + ".png");
            var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.scrollHeight, window.innerHeight]");
            Assert.True(sizes[0] <= sizes[1], $"{name}: scrollWidth {sizes[0]} > {sizes[1]}");
            if (name.Contains("1920"))
            {
                Assert.True(sizes[2] <= sizes[3], $"{name}: scrollHeight {sizes[2]} > {sizes[3]}");
            }
        }
        (await scenario.Organiser.PostAsync($"{scenario.Path}/publish", null)).EnsureSuccessStatusCode();
        foreach (var (page, name) in pages)
        {
            // A page read afresh, and the one open (the board learns it from the hub or its next read).
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator(".banner.provisional")).ToHaveCountAsync(0);
            if (name.Contains("skill"))
            {
                await Assertions.Expect(page.Locator(".banner.published")).ToHaveTextAsync(published);
            }
        }
    }
}
