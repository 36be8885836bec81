using Microsoft.Playwright;
using System.Net.Http.Json;
using SkillsHub.Testing;

namespace SkillsHub.Web.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BoardTests(BrowserFixture fixture) : BrowserTest(fixture)
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
        await Screenshots.SaveAsync(page, "board-skill.png");

        var phone = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync("/board/WSC2024/07");
        await Assertions.Expect(phone.Locator("tr[data-competitor=KR-07] td").Nth(4)).Not.ToBeEmptyAsync();
        await Screenshots.SaveAsync(phone, "board-phone.png");

        // The medal table keeps every column on a phone, so the points add up (found by an outside tester: the medallions
        // were dropped and the points were not), and its short headings say what they count.
        await phone.GotoAsync("/board/WSC2024");
        var headings = phone.Locator("table.medals thead th");
        await Assertions.Expect(headings).ToHaveCountAsync(6);
        foreach (var i in Enumerable.Range(0, 6))
        {
            await Assertions.Expect(headings.Nth(i)).ToBeVisibleAsync();
        }
        await Assertions.Expect(headings.Nth(4).Locator("abbr")).ToHaveAttributeAsync("title", "Medallions for Excellence");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await Screenshots.SaveAsync(phone, "board-medals-phone.png", fullPage: true);
    }

    /// <summary>
    /// A skill whose competitors have not scored ranks no one: everyone would stand first at 700, placeholders the results
    /// leave out (found by an outside tester: it read as a tie for first, while the leaders card said "no standings yet").
    /// The first score ranks them, live.
    /// </summary>
    [Fact]
    public async Task Board_OfASkillNoOneHasScored_RanksNoOne()
    {
        var scenario = await MarkingScenario.CreateAsync(browser.Node, NodeFixture.NewCode("UR"));
        var pages = new List<IPage>();
        foreach (var (locale, said) in new[] { ("en-GB", "Not ranked yet: no one has scored."), ("zh-CN", "尚未排名：还没有人得分。") })
        {
            var page = await browser.NewPageAsync(390, 844, locale);
            await page.GotoAsync($"/board/{scenario.Code}/07");
            await Assertions.Expect(page.Locator(".banner")).ToHaveTextAsync(said);
            await Assertions.Expect(page.Locator("table.standings tbody tr")).ToHaveCountAsync(3);
            Assert.All(await page.Locator("table.standings tbody td.rank").AllTextContentsAsync(), rank => Assert.Equal("–", rank));
            Assert.DoesNotContain("700", await page.Locator("table.standings tbody").InnerTextAsync());
            await Screenshots.SaveAsync(page, $"board-unranked-{locale}.png");
            pages.Add(page);
        }
        (await scenario.MarkAsync(scenario.Experts["E-KR"], "CN-07", "unranked-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        foreach (var page in pages)
        {
            // Ranked, and provisional until published (docs/pages.md, "Big screen").
            await Assertions.Expect(page.Locator(".banner")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bprovisional\b"));
            await Assertions.Expect(page.Locator("table.standings tbody td.rank").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1"));
        }
    }

    /// <summary>
    /// Each skill with a leader has one turn, however many competitors tie first in it (found by an outside tester: four
    /// tied leaders gave one skill four turns in a row, and the line counted 7 skills for 4).
    /// </summary>
    [Fact]
    public async Task BigScreen_GivesEachSkillOneTurn_WhenLeadersTie()
    {
        var page = await browser.NewPageAsync(1920, 1080);
        await BoardReads.ServeChangedAsync(page, "/api/competitions/WSC2024/results$", json =>
            json["leaders"] = BoardReads.Leaders((7, "FR", "Tied FR", 700), (7, "CN", "Tied CN", 700), (7, "KR", "Tied KR", 700), (6, "JP", "Tied JP", 700)));
        await page.GotoAsync("/board/WSC2024?screen=1&rotate=2");
        await Assertions.Expect(page.Locator("p.rotation")).ToContainTextAsync("Skill 1 of 2", new() { Timeout = 8000 });
        await Assertions.Expect(page.Locator("p.rotation")).ToContainTextAsync("Skill 2 of 2", new() { Timeout = 8000 });
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CNC Turning");
    }

    /// <summary>
    /// A skill hidden while the hall screen shows it leaves the screen at once for the medal table (found by an outside
    /// tester: the screen stayed on it for good, "Skill 1 of 0", when it was the only skill with a leader).
    /// </summary>
    [Fact]
    public async Task BigScreen_LeavesASkillThatIsHidden_ForTheMedalTable()
    {
        var page = await browser.NewPageAsync(1920, 1080);
        var hidden = false;
        await BoardReads.ServeChangedAsync(page, "/api/competitions/WSC2024/results$", json =>
            json["leaders"] = hidden ? new System.Text.Json.Nodes.JsonArray() : BoardReads.Leaders((7, "FR", "Only FR", 700)));
        await page.GotoAsync("/board/WSC2024?screen=1&rotate=3");
        await Assertions.Expect(page.Locator("p.rotation")).ToContainTextAsync("Skill 1 of 1", new() { Timeout = 8000 });
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CNC Milling");
        hidden = true;
        // The board reads the results again at each of the blocked hub's retries.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("WorldSkills Lyon 2024", new() { Timeout = 20000 });
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("of 0");
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
        await Screenshots.SaveAsync(page, "board-screen-medals.png");

        // No interaction: the screen moves on to the skill with standings, then back to the medal table.
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CNC Milling", new() { Timeout = 8000 });
        await Assertions.Expect(page.Locator("table.standings tbody tr")).ToHaveCountAsync(3);
        await Screenshots.SaveAsync(page, "board-screen-skill.png");
        // Within a skill's turn the countdown changes every second and the table stays as drawn (it was redrawn, and its
        // rows measured again, every second).
        var tick = await page.EvaluateAsync<bool[]>("""
            () => new Promise((resolve) => {
              const [heading, table, line] = [document.querySelector('h1')?.textContent, document.querySelector('table.standings'), document.querySelector('p.rotation')?.textContent];
              setTimeout(() => resolve([document.querySelector('h1')?.textContent === heading, document.querySelector('table.standings') === table,
                document.querySelector('p.rotation')?.textContent !== line]), 1200);
            })
            """);
        if (tick[0])
        {
            Assert.True(tick[1], "the table was drawn again within the skill's turn");
            Assert.True(tick[2], "the countdown did not change");
        }
        // Other browser tests give further skills standings (each a 3 s turn) before the medal table's turn.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("WorldSkills Lyon 2024", new() { Timeout = 20000 });

        // A rotation far longer than a browser's timer holds (about 24.9 days) is held to an hour: past it the timer fired at
        // once, over and over, and the screen flickered through the skills (found by an outside tester).
        var slow = await browser.NewPageAsync(1920, 1080);
        await slow.GotoAsync("/board/WSC2024?screen=1&rotate=3000000");
        await Assertions.Expect(slow.Locator("h1")).ToHaveTextAsync("WorldSkills Lyon 2024");
        var headings = await slow.EvaluateAsync<string[]>("""
            () => new Promise((resolve) => {
              const seen = [];
              const observer = new MutationObserver(() => { const h = document.querySelector('h1')?.textContent ?? ''; if (seen.at(-1) !== h) seen.push(h); });
              observer.observe(document.querySelector('main') ?? document.body, { subtree: true, childList: true, characterData: true });
              setTimeout(() => { observer.disconnect(); resolve(seen); }, 2000);
            })
            """);
        Assert.All(headings, h => Assert.Equal("WorldSkills Lyon 2024", h));
    }

    /// <summary>
    /// A hall screen whose reads fail during its rotation (the network down) keeps the last standings and raises no error in
    /// the page (found by an outside tester: each failed turn was an uncaught "HTTP 0" on a page meant to run for hours).
    /// </summary>
    [Fact]
    public async Task BigScreen_WithTheNetworkDown_RotatesWithoutAnErrorInThePage()
    {
        var scenario = await MarkingScenario.CreateAsync(browser.Node);
        (await MarkingScenario.Mark(scenario.Experts["E-KR"], "CN-07", "down-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        var page = await browser.NewPageAsync(1920, 1080);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.PageError += (_, e) => errors.Enqueue(e);
        // No hub (a proxy without WebSockets): each turn reads its skill over HTTP, which is then cut.
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        await PageClock.InstallAsync(page);
        await page.GotoAsync("/board/WSC2024?screen=1&rotate=2");
        await PageClock.RunFastUntilAsync(page, () => Assertions.Expect(page.Locator("table.standings tbody tr").First).ToBeVisibleAsync());
        var refused = 0;
        await page.RouteAsync("**/api/**", route => { Interlocked.Increment(ref refused); return route.AbortAsync(); });
        await PageClock.RunFastUntilAsync(page, async () => Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref refused) >= 2), TimeSpan.FromSeconds(15))));
        // A round trip through the page, so that what followed the refused reads has run.
        await page.EvaluateAsync("() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))");
        Assert.Empty(errors);
        await Assertions.Expect(page.Locator("h1")).Not.ToBeEmptyAsync();
    }

    /// <summary>The board's live connection speaks MessagePack (docs/operations.md, "Live updates") and still updates.</summary>
    [Fact]
    public async Task SkillBoard_NegotiatesMessagePack_AndUpdatesLive()
    {
        var scenario = await MarkingScenario.CreateAsync(browser.Node);
        var page = await browser.NewPageAsync();
        var sent = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var binaryReceived = 0;
        var textReceived = 0;
        page.WebSocket += (_, socket) =>
        {
            socket.FrameSent += (_, frame) => sent.Enqueue(frame.Text ?? "");
            socket.FrameReceived += (_, frame) =>
            {
                if (frame.Binary is { Length: > 0 })
                {
                    Interlocked.Increment(ref binaryReceived);
                }
                else
                {
                    Interlocked.Increment(ref textReceived);
                }
            };
        };
        await page.GotoAsync("/board/WSC2024/07");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        // SignalR's handshake names the protocol the client chose; the server accepted it, or the board would not be live.
        Assert.Contains(sent, frame => frame.StartsWith("{\"protocol\":\"messagepack\"", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, frame => frame.Contains("\"protocol\":\"json\"", StringComparison.Ordinal));
        var korea = page.Locator("tr[data-competitor=KR-07]");
        await Assertions.Expect(korea).ToBeVisibleAsync();

        // Other browser tests mark on this node too, so A1.1 is set both ways; the competitor's sheet then gives the raw
        // total, which the open page must then show: the two totals differ, so at least one change arrived live.
        var shown = new List<string>();
        foreach (var achieved in new[] { false, true })
        {
            var framesBefore = Volatile.Read(ref binaryReceived);
            var response = await MarkingScenario.Mark(scenario.Experts["E-FR"], "KR-07", "msgpack-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved });
            response.EnsureSuccessStatusCode();
            var sheet = await scenario.Organiser.GetFromJsonAsync<System.Text.Json.JsonElement>($"{scenario.Path}/competitors/KR-07/sheet");
            var raw = sheet.GetProperty("rawTotal").GetDecimal().ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
            await Assertions.Expect(korea.Locator("td").Nth(3)).ToHaveTextAsync(raw, new() { Timeout = 5000 });
            shown.Add(raw);
            if (achieved)
            {
                // Playwright reports frames as events, possibly after the page has drawn: wait for it.
                for (var i = 0; i < 50 && Volatile.Read(ref binaryReceived) <= framesBefore; i++)
                {
                    await Task.Delay(100);
                }
                Assert.True(Volatile.Read(ref binaryReceived) > framesBefore, $"the update arrived as a MessagePack (binary) frame ({binaryReceived} binary, {textReceived} text frames)");
            }
        }
        Assert.NotEqual(shown[0], shown[1]);
    }

    /// <summary>
    /// No answer is not "unknown" (an outside tester: a board showed "404 There is no competition" when the network
    /// failed, and never tried again). The first reads fail (no connection, then a database outage's 503 with
    /// Retry-After, then a 500): the board says it cannot reach the server, or that the server cannot give the results just
    /// now when it answered with an error (an outside tester: a 500 told spectators to check their own connection), in the
    /// page's language, and loads once the server answers.
    /// </summary>
    [Theory]
    [InlineData("en-GB", "Cannot reach the server; check the connection.", "The server cannot give the results just now.")]
    [InlineData("zh-CN", "无法连接服务器，请检查网络连接。", "服务器暂时无法提供成绩。")]
    public async Task Board_WhenTheServerDoesNotAnswer_SaysSoAndRetries_NeverNotFound(string locale, string unreachable, string serverError)
    {
        await MarkingScenario.CreateAsync(browser.Node);
        var page = await browser.NewPageAsync(390, 844, locale);
        var failures = 0;
        var answer = 0; // 0: no connection; 503 or 500: that answer; 200: the server's own
        await page.RouteAsync("**/api/competitions/WSC2024", async route =>
        {
            var now = Volatile.Read(ref answer);
            if (now == 200)
            {
                await route.ContinueAsync();
                return;
            }
            Interlocked.Increment(ref failures);
            if (now == 0)
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }
            await route.FulfillAsync(new()
            {
                Status = now,
                ContentType = "application/problem+json",
                Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                Body = now == 503 ? """{"title":"Database unavailable","status":503,"code":"database-unavailable"}""" : """{"title":"Server error","status":500,"code":"http-500"}""",
            });
        });
        // The board's waits between reads (up to 30 s) run on a fast clock (PageClock); its hub starts only once a read is answered.
        await PageClock.InstallAsync(page);
        await page.GotoAsync("/board/WSC2024/07");
        await Assertions.Expect(page.Locator("main .unreachable h1")).ToHaveTextAsync(unreachable);
        await Assertions.Expect(page.Locator("main .code-big")).ToHaveCountAsync(0);
        await PageClock.RunFastUntilAsync(page, async () => Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref failures) >= 2), TimeSpan.FromSeconds(30))));
        await Screenshots.SaveAsync(page, $"board-unreachable-{locale}.png");
        // It keeps trying through a 500 and a database outage's 503, saying the server answered each time it did (and out of
        // reach in between), never the 404 page.
        foreach (var status in new[] { 500, 0, 503 })
        {
            var before = Volatile.Read(ref failures);
            Volatile.Write(ref answer, status);
            await PageClock.RunFastUntilAsync(page, async () => Assert.True(await TestNode.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref failures) > before), TimeSpan.FromSeconds(40)), $"no read answered {status}"));
            await Assertions.Expect(page.Locator("main .unreachable h1")).ToHaveTextAsync(status == 0 ? unreachable : serverError);
            await Assertions.Expect(page.Locator("main .code-big")).ToHaveCountAsync(0);
        }
        await Screenshots.SaveAsync(page, $"board-server-error-{locale}.png");

        Volatile.Write(ref answer, 200);
        await PageClock.RunFastUntilAsync(page, () => Assertions.Expect(page.Locator("table.standings tbody tr")).ToHaveCountAsync(3));
        await Assertions.Expect(page.Locator("main .unreachable")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// With the live hub blocked (a proxy without WebSockets, a full node), a skill board still shows its heading and the
    /// standings read over HTTP, says it is offline, and goes live when the hub connects (an outside tester saw only the
    /// offline badge: the skill was drawn only after the hub's Subscribe).
    /// </summary>
    [Fact]
    public async Task SkillBoard_WithTheHubBlocked_ShowsStandingsOverHttp_ThenGoesLive()
    {
        await MarkingScenario.CreateAsync(browser.Node);
        var page = await browser.NewPageAsync(1280, 800, "zh-CN");
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        // A slow network: every read answers after 2 s. The page says it is loading (not only "Connecting…"), and the
        // competition and the standings are asked for at once, not one after the other (docs/pages.md, "Errors").
        var asked = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTime>();
        await page.RouteAsync("**/api/**", async route =>
        {
            asked.TryAdd(new Uri(route.Request.Url).AbsolutePath, DateTime.UtcNow);
            await Task.Delay(2000);
            await route.ContinueAsync();
        });
        await PageClock.InstallAsync(page);
        await page.GotoAsync("/board/WSC2024/07");
        await Assertions.Expect(page.Locator("main p.status")).ToHaveTextAsync("正在加载成绩…");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("数控铣");
        await Assertions.Expect(page.Locator("main p.status")).ToHaveCountAsync(0);
        var competitionAsked = asked["/api/competitions/WSC2024"];
        var standingsAsked = asked.Single(a => a.Key.EndsWith("/standings")).Value;
        Assert.True((standingsAsked - competitionAsked).Duration() < TimeSpan.FromSeconds(1), $"standings asked {standingsAsked - competitionAsked} after the competition");
        await Assertions.Expect(page.Locator("table.standings tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("离线：正在重试");
        // The tab's title is the board's, in the page's language (an outside tester: titles stayed English).
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^07 · 数控铣 · .*世界技能大赛 · SkillsHub$"));
        await Screenshots.SaveAsync(page, "board-hub-blocked-zh.png");

        await page.UnrouteAllAsync();
        // The hub is tried again 3 to 10 s after it failed: those seconds run on a fast clock (PageClock) until it is live.
        await PageClock.RunFastUntilAsync(page, () => Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("实时"));
        await Assertions.Expect(page.Locator("table.standings tbody tr")).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^07 · CNC Milling · WorldSkills Lyon 2024 · SkillsHub$"));
    }

    /// <summary>
    /// A live board whose hub link drops and stays out of reach says it is offline and reads the standings over HTTP at each
    /// try, so a mark made meanwhile shows; it goes live again when the hub answers. The hub client writes nothing to the
    /// console meanwhile (found by an outside tester: "Reconnecting…" for the whole outage, standings half a minute old,
    /// and three console errors at every try).
    /// </summary>
    [Fact]
    public async Task SkillBoard_WhoseLiveLinkDrops_SaysOffline_AndReadsOverHttpAtEachTry()
    {
        var s = await MarkingScenario.CreateAsync(browser.Node, NodeFixture.NewCode("LD"));
        var page = await browser.NewPageAsync(1280, 800, "en-GB");
        var logged = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) => logged.Enqueue(message.Text);
        IWebSocketRoute? socket = null;
        await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/hubs/leaderboard"), ws =>
        {
            socket = ws;
            ws.ConnectToServer();
        });
        await page.GotoAsync($"/board/{s.Code}/07");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
        var raw = page.Locator("tr[data-competitor='KR-07'] td:nth-child(4)");
        await Assertions.Expect(raw).ToHaveTextAsync("0.00");

        // The hub out of reach from now on: its connection closed by the network, a new one refused.
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        await socket!.CloseAsync(new() { Code = 1011, Reason = "the venue's Wi-Fi dropped" });
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Offline: retrying", new() { Timeout = BrowserFixture.ActionTimeout });
        (await s.MarkAsync(s.Experts["E-JP"], "KR-07", "drop-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved = true })).EnsureSuccessStatusCode();
        await Assertions.Expect(raw).Not.ToHaveTextAsync("0.00", new() { Timeout = BrowserFixture.ActionTimeout });
        Assert.Equal("Offline: retrying", await page.Locator("#connection").TextContentAsync());

        await page.UnrouteAsync("**/hubs/**");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live", new() { Timeout = 20000 });
        Assert.DoesNotContain(logged, text => text.Contains("negotiation", StringComparison.Ordinal) || text.Contains("Failed to start the connection", StringComparison.Ordinal)
            || text.Contains("Connection disconnected", StringComparison.Ordinal));
    }

    /// <summary>
    /// A competition with no results yet: the hall screen says so instead of "Skill 1 of 0", and the leaders card (on the
    /// normal page too) says there are no results rather than standing empty (an outside tester, WSC2026). On the hall
    /// screen every text, the empty states too (a skill with no competitors), is at least the caption's size (24 px at
    /// 1080p) and 4.5:1 on its background (another tester: "No competitors yet." was 16 px at 3.2:1, 2.9:1 in a card).
    /// </summary>
    [Fact]
    public async Task Board_OfACompetitionWithNoResults_SaysSo()
    {
        var code = NodeFixture.NewCode("NR");
        using var organiser = await MarkingScenario.SignInAsync(browser.Node, "organiser", [SkillsHub.Server.Security.Roles.Organiser]);
        (await organiser.PostAsJsonAsync("/api/competitions", new { code, name = "Test " + code, city = "Lyon", country = "France" })).EnsureSuccessStatusCode();
        foreach (var (path, locale, text, noMedals) in new[] { ($"/board/{code}?screen=1&rotate=3", "en-GB", "No results yet.", "No medals to show yet"), ($"/board/{code}", "zh-CN", "暂无成绩。", "暂无可显示的奖牌"),
            // The hall screen's language is chosen in its address: no one is there to press the button.
            ($"/board/{code}?screen=1&lang=zh", "en-GB", "暂无成绩。", "暂无可显示的奖牌") })
        {
            var page = await browser.NewPageAsync(1920, 1080, locale);
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator(".leaders .empty")).ToHaveTextAsync(text);
            // The medal table says there is nothing to show, not that there are no competitors: it is empty too when every
            // skill with results is hidden (an outside tester).
            await Assertions.Expect(page.Locator(".medalpanel .empty")).ToContainTextAsync(noMedals);
            await Assertions.Expect(page.Locator(".rotation")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(page, $"board-no-results-{locale}{(path.Contains("lang=", StringComparison.Ordinal) ? "-lang" : "")}.png");
            if (path.Contains("screen=1", StringComparison.Ordinal))
            {
                await AssertReadableAcrossTheHall(page);
            }
        }

        // A skill with no competitors yet, on the hall screen in Chinese.
        (await organiser.PutAsync($"/api/competitions/{code}/skills", new StringContent("number,name_en\n1,Empty Skill\n", System.Text.Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var skill = await browser.NewPageAsync(1920, 1080, "zh-CN");
        await skill.GotoAsync($"/board/{code}/01?screen=1");
        await Assertions.Expect(skill.Locator("main .empty")).ToHaveTextAsync("暂无选手。");
        await Screenshots.SaveAsync(skill, "board-no-competitors-screen-zh.png");
        await AssertReadableAcrossTheHall(skill);
    }

    /// <summary>
    /// Every text in a hall screen's main area is at least 24 px at 1080p (the caption's 1.3vw) and at least 4.5:1 against
    /// the background it is drawn on (docs/pages.md, "Big screen"), and axe-core finds no serious violation.
    /// </summary>
    static async Task AssertReadableAcrossTheHall(IPage page)
    {
        var unreadable = await page.EvaluateAsync<string[]>("""
            (min) => {
              const rgba = (c) => { const [r, g, b, a = 1] = c.match(/[\d.]+/g).map(Number); return [r, g, b, a]; };
              const luminance = ([r, g, b]) => [r, g, b]
                .map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
              const background = (e) => {
                for (; e; e = e.parentElement) {
                  const c = rgba(getComputedStyle(e).backgroundColor);
                  if (c[3] > 0) return c;
                }
                return [255, 255, 255, 1];
              };
              return [...document.querySelectorAll('main *')]
                .filter((e) => e.getClientRects().length > 0 && [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
                .flatMap((e) => {
                  const style = getComputedStyle(e);
                  const [a, b] = [luminance(rgba(style.color)), luminance(background(e))];
                  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                  return ratio < 4.5 || parseFloat(style.fontSize) < min ? [`'${e.textContent.trim()}': ${ratio.toFixed(2)}:1, ${style.fontSize}`] : [];
                });
            }
            """, page.ViewportSize!.Height * 24 / 1080);
        Assert.True(unreadable.Length == 0, $"{page.Url}: hard to read across a hall: {string.Join("; ", unreadable)}");
        var violations = await Axe.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{page.Url}: {string.Join("; ", violations)}");
    }
}
