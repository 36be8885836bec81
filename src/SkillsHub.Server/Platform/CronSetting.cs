using Cronos;

namespace SkillsHub.Server.Platform;

/// <summary>
/// A recurring job's schedule (<c>Certification:PromotionsCron</c>, <c>Certification:ConsistencyCron</c>), read and checked
/// before the node's database is touched. Hangfire checks a schedule only when the job is registered, once the node has
/// started (found by an outside tester: <c>bogus</c> stopped a node that had already logged its start), and its parser is
/// its own, inside it: the check reads the expression as Hangfire does, with the same parser at the same version (Cronos,
/// Directory.Packages.props). Five fields (minute hour day month weekday), six with seconds first, or a macro such as
/// <c>@hourly</c>; times are UTC (docs/deployment.md, "Start checks").
/// </summary>
public static class CronSetting
{
    static readonly char[] Separators = [' ', '\t'];

    /// <summary>The setting's schedule, or <paramref name="fallback"/> when it is not set; one that Hangfire would refuse stops the start.</summary>
    public static string Read(IConfiguration configuration, string setting, string fallback)
    {
        var value = configuration[setting];
        if (value is null)
        {
            return fallback;
        }
        return IsSchedule(value)
            ? value
            : throw new StartupException($"{setting} must be a cron expression of 5 fields (minute hour day month weekday), or 6 with seconds first, such as 0 * * * * (not '{value}').");
    }

    /// <summary>Whether Hangfire takes the expression: its field count picks the format, as Hangfire's own reading does.</summary>
    public static bool IsSchedule(string expression)
    {
        var format = CronFormat.Standard;
        if (!expression.StartsWith('@'))
        {
            var fields = expression.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Length;
            if (fields == 6)
            {
                format = CronFormat.IncludeSeconds;
            }
            else if (fields != 5)
            {
                return false;
            }
        }
        try
        {
            CronExpression.Parse(expression, format);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
