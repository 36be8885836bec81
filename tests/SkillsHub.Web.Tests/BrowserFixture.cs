using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SkillsHub.Server.Hosting;
using SkillsHub.Testing;

// The three collections (flows, the marking floor's pages, the page sweeps) run side by side: xunit's default of one per
// core ran the third only after one of the others had ended. Their tests mostly wait on pages and pushes.
[assembly: CollectionBehavior(MaxParallelThreads = 3)]

namespace SkillsHub.Web.Tests;

/// <summary>
/// A real SkillsHub node on its own private PostgreSQL, and Debian's Chromium driven by Playwright
/// (never a downloaded browser). Screenshots, when asked for, land in bin/.../screenshots (<see cref="Screenshots"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    readonly PostgresFixture _postgres = new();
    IPlaywright? _playwright;

    /// <summary>
    /// How long a page's navigation or action may take before a test that set it fails: the expectations' 60 s
    /// (<see cref="InitializeAsync"/>). 15 s was not enough: CI's whole run of 4e69c79 (2026-12-07), the browser tests
    /// taking 10 minutes beside the server tests, had the console's marking page still loading after 15 s, twice
    /// (docs/testing.md, "Waiting"). Only a test that fails waits that long.
    /// </summary>
    public const float ActionTimeout = 60_000;

    public SkillsHubNode Node { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Node = await TestNode.StartAsync(await _postgres.NewDatabaseAsync());
        _playwright = await Playwright.CreateAsync();
        // An expectation returns as soon as it holds; on a loaded two-core machine running the suites side by side,
        // a background job (an import, a rating run) can take longer than Playwright's 5 s default to finish. 15 s was
        // not enough either: in two whole runs of 2026-12-06, with the server tests beside them, an agency page's
        // results import still showed "queued" after 15 s (and once a certificate issue had not finished), though the
        // same tests pass alone and with their collection alone. So the deadline is the server tests' for an import,
        // 60 s (docs/testing.md, "Waiting"); only an expectation that fails waits that long.
        Assertions.SetDefaultExpectTimeout(60_000);
        var executable = Environment.GetEnvironmentVariable("SKILLSHUB_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium not found at {executable}. Install Debian's package: sudo apt-get install -y chromium (test.sh does this).");
        }
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Pages of one context share renderer processes instead of each starting its own: a run opens hundreds
                // of pages, and starting a renderer cost as much CPU as most pages' work (docs/testing.md).
                "--renderer-process-limit=2",
                DisableFeatures],
        });
        // One blank page stays open for the browser's life, in a context no test uses. Between tests every test context is
        // closed, and a browser left with no window at all sets up its windowing again for the next test's first page:
        // measured with a standalone Playwright script, a new context with one page loaded cost about 0.2 core-seconds
        // less while another window was open (docs/testing.md, "Browser tests").
        await (await Browser.NewContextAsync()).NewPageAsync();
    }

    /// <summary>
    /// Chromium reads only the last <c>--disable-features</c> switch, so this one repeats Playwright's own list (Playwright
    /// 1.64, its <c>chromiumSwitches</c>) and adds two of the browser's own that cost CPU in every new context and change
    /// nothing a page does: the omnibox popups (<c>chrome://omnibox-popup.top-chrome</c>, the address bar's suggestion
    /// list, which a headless window never shows), which each new window preloaded in a renderer of its own at about 1.5
    /// core-seconds; and the spare renderer that is kept started for a next tab. Measured on this kind of machine: a new
    /// context with one page loaded cost about 2.3 core-seconds, now about 1.1 (docs/testing.md, "Browser tests").
    /// </summary>
    const string DisableFeatures = "--disable-features="
        + "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,DialMediaRouteProvider,GlobalMediaControls,HttpsUpgrades,"
        + "LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,BlockOriginHeaderModificationOnRedirect,"
        + "AvoidCorsURLLoaderRestartOnRedirect,Translate,AutoDeElevate,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,"
        + "WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess";

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string locale = "en-GB") =>
        await (await NewContextAsync(width, height, locale)).NewPageAsync();

    /// <summary>A fresh browser context (no cookies, no storage) on the node, with a viewport, a locale and a time zone (the machine's when null).</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, string locale = "en-GB", string? timezoneId = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Node.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
            TimezoneId = timezoneId,
        });
        lock (_open)
        {
            _open.Add(context);
        }
        return context;
    }

    readonly List<IBrowserContext> _open = [];

    /// <summary>
    /// Closes every context the running test opened (a test class's DisposeAsync calls it). A page left open keeps
    /// working (a board re-renders every second, holds its hub connection) and takes CPU from the tests after it.
    /// The tests of a collection run one after another, so what is open belongs to the test that just ended.
    /// </summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var context in open)
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// Runs <paramref name="check"/> on every path (or case) in <paramref name="context"/> (same viewport, locale, cookies
    /// and storage) and returns what the checks found, in the order of <paramref name="paths"/>. A few pages work side by
    /// side, each taking the next path when it is done with one: a page's load mostly waits (for the network to go quiet,
    /// for the server), so they wait together; and a path opened by navigating a page that is already open costs the
    /// browser about half of what a new page costs (docs/testing.md, "Browser tests"). Every path is a new document, loaded,
    /// settled and measured exactly as it would be alone; the pages are closed afterwards.
    /// </summary>
    public static async Task<List<string>> EveryPathAsync<T>(IBrowserContext context, IEnumerable<T> paths, Func<IPage, T, Task<IEnumerable<string>>> check)
    {
        const int Pages = 3;
        var cases = paths.ToList();
        var found = new IEnumerable<string>[cases.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(Pages, cases.Count)).Select(async _ =>
        {
            var page = await context.NewPageAsync();
            try
            {
                for (var i = Interlocked.Increment(ref next); i < cases.Count; i = Interlocked.Increment(ref next))
                {
                    found[i] = await check(page, cases[i]);
                }
            }
            finally
            {
                await page.CloseAsync();
            }
        }));
        return found.SelectMany(f => f).ToList();
    }

    /// <summary>
    /// An expectation that waits on a job (an import, a rating or an issuing run): one that fails says what Hangfire held
    /// on the node's database at that moment (<see cref="TestNode.JobsReportAsync"/>), as the server tests' waits on a job
    /// do. Two whole runs once failed on an agency import still queued after 15 s, with nothing in the logs to say why
    /// (docs/testing.md, "Waiting").
    /// </summary>
    public async Task AfterJobAsync(Task expectation)
    {
        try
        {
            await expectation;
        }
        catch (PlaywrightException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nJobs on the node:{await TestNode.JobsReportAsync(Node.BaseAddress)}", e);
        }
    }

    /// <summary>A page signed in as an account (<see cref="SignedInContextAsync"/>).</summary>
    public async Task<IPage> SignedInPageAsync(string user, string[] roles, string? agency = null) =>
        await (await SignedInContextAsync(user, roles, agency)).NewPageAsync();

    /// <summary>
    /// A context signed in as an account (created when missing) through the real sign-in endpoint, so the
    /// context holds a server-side session and the antiforgery cookies the pages send back.
    /// </summary>
    public async Task<IBrowserContext> SignedInContextAsync(string user, string[] roles, string? agency = null)
    {
        const string password = "correct horse battery staple";
        var accounts = Node.Services.GetRequiredService<SkillsHub.Server.Security.AccountStore>();
        if (!await accounts.ExistsAsync(user))
        {
            await accounts.CreateAsync(user, user, password, roles, agency);
        }
        var context = await NewContextAsync();
        var login = await context.APIRequest.PostAsync("/api/auth/login", new() { DataObject = new { userName = user, password } });
        if (!login.Ok)
        {
            throw new InvalidOperationException($"sign-in as {user}: {login.Status}");
        }
        return context;
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

/// <summary>
/// The browser tests that drive a flow of the public and agency pages (sign in, import, issue, watch a board move) on one
/// node and one browser, and the sweep of the console's sections at every width, which keeps the three collections'
/// shares about even (docs/testing.md, "Browser tests").
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// The browser tests of the marking floor's pages (the judge app, the console, the judging report), on a node and a
/// browser of their own: beside <see cref="BrowserCollection"/> and <see cref="PageSweepCollection"/> rather than after
/// them, as the longest chain of a browser test run was these flows one after another (docs/testing.md, "Browser tests").
/// </summary>
[CollectionDefinition(Name)]
public sealed class MarkingPagesCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "marking pages";
}

/// <summary>
/// The sweeps over every public page (every width, both languages, axe) on a node and a browser of their own, so they run
/// beside <see cref="BrowserCollection"/> instead of after it: a browser test mostly waits (for the network to go
/// quiet, for a push, for a timer), and two collections wait at the same time (docs/testing.md, "Browser tests").
/// </summary>
[CollectionDefinition(Name)]
public sealed class PageSweepCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "page sweeps";
}

/// <summary>
/// A browser test class: its tests use <see cref="browser"/>, and after each test the contexts it opened are closed
/// (<see cref="BrowserFixture.CloseContextsAsync"/>), so no page of one test keeps working through the next.
/// </summary>
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
#pragma warning disable IDE1006 // named like the primary-constructor parameter the test classes used before
    protected readonly BrowserFixture browser = fixture;
#pragma warning restore IDE1006

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.CloseContextsAsync();
}
