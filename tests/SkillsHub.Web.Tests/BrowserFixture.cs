using Microsoft.Playwright;
using SkillsHub.Server.Hosting;
using SkillsHub.Testing;

namespace SkillsHub.Web.Tests;

/// <summary>
/// A real SkillsHub node on its own private PostgreSQL, and Debian's Chromium driven by Playwright
/// (never a downloaded browser). Screenshots land in TestResults/screenshots for a person to look at.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    readonly PostgresFixture _postgres = new();
    IPlaywright? _playwright;

    public SkillsHubNode Node { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Node = await TestNode.StartAsync(await _postgres.NewDatabaseAsync());
        _playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable("SKILLSHUB_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium not found at {executable}. Install Debian's package: sudo apt-get install -y chromium (test.sh does this).");
        }
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Node.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }
        await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
