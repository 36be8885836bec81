using Microsoft.Extensions.Logging.Console;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The lines the run command writes itself (<see cref="SkillsHubNode.RunAsync"/>: a start refused, a stop before the node was
/// ready, a stop that outlasted its limit), on standard error, in the console log's format. Under
/// <c>Logging:Console:FormatterName=json</c> each is one JSON object on one line, written by the runtime's JSON console
/// formatter with the node's timestamp (Timestamp, EventId, LogLevel, Category, Message, State), so a collector that parses
/// the node's log parses them too (found by an outside tester: the refusal was plain text after JSON lines).
/// </summary>
sealed class RunLines
{
    public const string Category = "SkillsHub.Server";

    /// <summary>Whether the lines are JSON; set once the node's settings are read (plain until then).</summary>
    public bool Json { get; set; }

    public static bool IsJson(IConfiguration configuration) =>
        string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);

    public void Write(LogLevel level, string line)
    {
        if (!Json)
        {
            Console.Error.WriteLine(line);
            return;
        }
        // Disposed before this returns, which writes out the console logger's queue.
        using var loggers = LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        // The line as the message, as it is, never read as a message template (it may hold braces).
        loggers.CreateLogger(Category).Log(level, default, line, null, static (text, _) => text);
    }
}
