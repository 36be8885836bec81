using Microsoft.Playwright;

namespace SkillsHub.Web.Tests;

/// <summary>
/// A page's own timers (a board's or a form's "trying again in 10 s") run on Playwright's clock instead of the test
/// waiting them out: <see cref="InstallAsync"/> before the page loads, then <see cref="RunFastUntilAsync"/> moves the
/// page's time on a second every tenth of a second while an expectation waits. Every timer fires as it would, in order,
/// with the page's Date and performance clock moved with it; only the wait is shorter (docs/testing.md, "Waiting").
/// Only for pages with no live hub connection while the clock runs fast: a hub's keep-alive would time out.
/// </summary>
public static class PageClock
{
    public static Task InstallAsync(IPage page) => page.Clock.InstallAsync();

    public static async Task RunFastUntilAsync(IPage page, Func<Task> expectation)
    {
        using var stop = new CancellationTokenSource();
        var clock = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await page.Clock.FastForwardAsync(1000);
                await Task.Delay(100, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        try
        {
            await expectation();
        }
        finally
        {
            await stop.CancelAsync();
            await clock;
        }
    }
}
