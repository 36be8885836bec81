using Microsoft.Playwright;

namespace SkillsHub.Web.Tests;

/// <summary>
/// The pictures a person looks at before calling a page done (docs/testing.md, "Screenshots"). They assert nothing, and
/// capturing and encoding them is a large share of the browser tests' CPU, so a run takes them only when asked:
/// <c>./test.sh --screenshots</c> (or <c>SKILLSHUB_SCREENSHOTS=1</c>). A check that fails still saves the picture of
/// what it found (<see cref="EvidenceAsync"/>) whatever the setting.
/// </summary>
public static class Screenshots
{
    public static bool Wanted { get; } = Environment.GetEnvironmentVariable("SKILLSHUB_SCREENSHOTS") is "1" or "true";

    public static string Directory { get; } = System.IO.Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>Saves the page as <paramref name="name"/> when screenshots are wanted.</summary>
    public static Task SaveAsync(IPage page, string name, bool fullPage = false) =>
        Wanted ? EvidenceAsync(page, name, fullPage) : Task.CompletedTask;

    /// <summary>Saves the page as <paramref name="name"/> always: the picture of a failed check.</summary>
    public static Task EvidenceAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Directory, name), FullPage = fullPage });
}
