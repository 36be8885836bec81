using Microsoft.AspNetCore.SignalR;

namespace SkillsHub.Server.Hubs;

/// <summary>
/// Logs what goes wrong in hub methods, in place of SignalR's dispatcher, which logs every failure as an error with its
/// stack trace: the <see cref="HubException"/>s that answer a caller's mistake (an unknown skill) too, so any anonymous
/// client could fill the error log (found by an outside tester). A caller's mistake is logged at Debug, anything else
/// at Error with its exception, as before (docs/operations.md, "Live updates").
/// </summary>
public sealed class HubFaults(ILogger<HubFaults> logger) : IHubFilter
{
    /// <summary>The dispatcher's log category, silenced where this filter is registered.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException e)
        {
            logger.LogDebug("Hub method {Method} refused: {Message}", invocationContext.HubMethodName, e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Hub method {Method} failed", invocationContext.HubMethodName);
            throw;
        }
    }
}
