using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace SkillsHub.Web.Tests;

/// <summary>
/// A board's reads answered with the server's own answers, changed by the test (more rows, other names, tied leaders),
/// and its hub blocked: the board shows the HTTP copies (offline) as it would live ones.
/// </summary>
static class BoardReads
{
    /// <summary>The reads whose address matches <paramref name="address"/> are the server's answers as <paramref name="change"/> leaves them.</summary>
    public static async Task ServeChangedAsync(IPage page, string address, Action<JsonObject> change)
    {
        await page.RouteAsync("**/hubs/**", route => route.AbortAsync());
        await page.RouteAsync(new Regex(address), async route =>
        {
            var response = await route.FetchAsync();
            var json = JsonNode.Parse(await response.TextAsync())!.AsObject();
            change(json);
            await route.FulfillAsync(new() { Response = response, Body = json.ToJsonString() });
        });
    }

    /// <summary>A competition's leaders by skill, live, each named by its member and skill (competitor <c>KR-07</c>).</summary>
    public static JsonNode Leaders(params (int Skill, string Member, string Name, int Scaled)[] leaders) =>
        JsonSerializer.SerializeToNode(leaders.Select(l => new
        {
            skillNumber = l.Skill, competitorId = $"{l.Member}-{l.Skill:00}", name = l.Name, memberCode = l.Member, scaled = l.Scaled, mode = "Live", published = false,
        }))!;
}
