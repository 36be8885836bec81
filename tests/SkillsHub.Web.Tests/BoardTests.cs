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
        // Other browser tests give further skills standings (each a 3 s turn) before the medal table's turn.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("WorldSkills Lyon 2024", new() { Timeout = 20000 });
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

        // Other browser tests mark on this node too, so A1.1 is set both ways; the marks answer gives the competitor's
        // raw total, which the open page must then show: the two totals differ, so at least one change arrived live.
        var shown = new List<string>();
        foreach (var achieved in new[] { false, true })
        {
            var framesBefore = Volatile.Read(ref binaryReceived);
            var response = await MarkingScenario.Mark(scenario.Experts["E-FR"], "KR-07", "msgpack-" + Guid.NewGuid(), new { aspectId = "A1.1", achieved });
            response.EnsureSuccessStatusCode();
            var raw = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("rawTotal").GetDecimal()
                .ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
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
}
