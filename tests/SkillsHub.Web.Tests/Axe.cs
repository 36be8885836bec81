using System.Text.Json;
using Microsoft.Playwright;

namespace SkillsHub.Web.Tests;

/// <summary>
/// Runs axe-core (the npm package the web project installs as a dev dependency) in a page and returns
/// its serious and critical violations. The engine is evaluated through the DevTools protocol, so the
/// pages' Content-Security-Policy (no inline scripts) does not stop it.
/// </summary>
public static class Axe
{
    static readonly Lazy<string> Source = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "SkillsHub.Web", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }
        throw new FileNotFoundException("axe-core not found under src/SkillsHub.Web/node_modules: build the web project (npm ci).");
    });

    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
        return json.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
