using Orleans.Runtime;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// What a node does when Orleans finds it cannot go on (docs/security.md, "Orleans ports"). Orleans' own handler logs, waits
/// 2 s and ends the process with <c>Environment.FailFast</c>: exit code 134 and a stack dump. A node the cluster declared dead
/// (found by an outside tester: one started with another <c>Orleans:Tls:Certificate</c> than the running nodes, or none, which
/// they refuse to talk to, ended so after about a minute) now ends with one line naming the likely cause, in the console log's
/// format, and exit code 1, as a refused start does. Any other fatal error is logged with its exception and ends the process
/// as Orleans' handler does. Registered in place of Orleans' handler (<see cref="OrleansRegistration.AddSkillsHubOrleans"/>).
/// </summary>
public sealed class ClusterFatalErrors(ILogger<ClusterFatalErrors> logger, IConfiguration configuration) : IFatalErrorHandler
{
    /// <summary>Orleans' words when a node learns it has been declared dead (its membership's KillMyselfLocally).</summary>
    public const string OrleansDeclaredDead = "I have been told I am dead";

    /// <summary>The line a node the cluster declared dead ends with.</summary>
    public const string DeclaredDead = "SkillsHub stopped: the cluster declared this node dead (it could not talk to the other nodes, or they to it). "
        + "Check that Orleans:Tls:Certificate is the cluster's certificate on every node (or set on none), and that the nodes reach each other's Orleans:SiloPort.";

    /// <summary>Writes the line (in the console log's format, on standard error); a test takes it instead.</summary>
    public Action<string> WriteLine { get; init; } = line => new RunLines { Format = RunLines.FormatOf(configuration) }.Write(LogLevel.Critical, line);

    /// <summary>Ends the process with an exit code; a test takes the code instead.</summary>
    public Action<int> Exit { get; init; } = Environment.Exit;

    /// <summary>Ends the process as Orleans' own handler does; a test takes the message instead.</summary>
    public Action<string, Exception?> FailFast { get; init; } = Environment.FailFast;

    /// <summary>Time for the log's queued lines (Orleans' own about the death) to be written before the end.</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromSeconds(1);

    int _ending;

    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _ending, 1) == 1)
        {
            return; // the first caller ends the process
        }
        if (context?.Contains(OrleansDeclaredDead, StringComparison.Ordinal) == true)
        {
            Thread.Sleep(Pause);
            WriteLine(DeclaredDead);
            Exit(1);
            return;
        }
        logger.LogCritical(exception, "Fatal error from {Sender}. Context: {Context}", sender, context);
        var message = $"FATAL EXCEPTION from {sender?.ToString() ?? "null"}. Context: {context ?? "null"}. Exception: {exception?.ToString() ?? "null"}.\nCurrent stack: {Environment.StackTrace}";
        Console.Error.WriteLine(message);
        Thread.Sleep(Pause);
        FailFast(message, exception);
    }
}
