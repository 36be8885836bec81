using Microsoft.Extensions.Logging.Console;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The lines the run command writes itself (<see cref="SkillsHubNode.RunAsync"/>: a start refused, a stop before the node was
/// ready, a stop that outlasted its limit), on standard error, in the console log's format. Under
/// <c>Logging:Console:FormatterName=json</c> each is one JSON object on one line, written by the runtime's JSON console
/// formatter with the node's timestamp (Timestamp, EventId, LogLevel, Category, Message, State), so a collector that parses
/// the node's log parses them too (found by an outside tester: the refusal was plain text after JSON lines). Under
/// <c>systemd</c> each starts with its syslog priority (<c>&lt;2&gt;</c> for a refusal), as the node's other lines do
/// (another tester: the journal took the refusal for an ordinary line).
/// </summary>
sealed class RunLines
{
    public const string Category = "SkillsHub.Server";

    /// <summary>The console log's format (json, systemd or simple); set once the node's settings are read (plain until then).</summary>
    public string Format { get; set; } = ConsoleFormatterNames.Simple;

    public static string FormatOf(IConfiguration configuration) =>
        configuration["Logging:Console:FormatterName"]?.Trim().ToLowerInvariant() switch
        {
            ConsoleFormatterNames.Json => ConsoleFormatterNames.Json,
            ConsoleFormatterNames.Systemd => ConsoleFormatterNames.Systemd,
            _ => ConsoleFormatterNames.Simple,
        };

    public void Write(LogLevel level, string line)
    {
        if (Format == ConsoleFormatterNames.Simple)
        {
            Console.Error.WriteLine(line);
            return;
        }
        // Disposed before this returns, which writes out the console logger's queue.
        using var loggers = LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (Format == ConsoleFormatterNames.Json)
            {
                logging.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
            }
            else
            {
                logging.AddSystemdConsole();
            }
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });
        // The line as the message, as it is, never read as a message template (it may hold braces).
        loggers.CreateLogger(Category).Log(level, default, line, null, static (text, _) => text);
    }
}
