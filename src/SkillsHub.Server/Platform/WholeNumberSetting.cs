using System.Globalization;

namespace SkillsHub.Server.Platform;

/// <summary>
/// A whole-number setting, read and checked when the node is made: a value that is not a whole number in its range stops
/// the start in one line (a <see cref="StartupException"/>), not with a stack trace or a node whose every request then
/// fails (docs/deployment.md).
/// </summary>
public static class WholeNumberSetting
{
    /// <summary>The setting's value, or null when it is not set (a default worked out elsewhere); refused as <see cref="Read"/> refuses.</summary>
    public static int? ReadOptional(IConfiguration configuration, string setting, int min, int max = int.MaxValue, string? unit = null) =>
        configuration[setting] is null ? null : Read(configuration, setting, 0, min, max, unit);

    /// <summary>
    /// The setting's value, or <paramref name="fallback"/> when it is not set. <paramref name="unit"/> ("seconds") names what
    /// it counts in the refusal: "... must be a whole number of seconds from 1 to 3600 (not 'x')".
    /// </summary>
    public static int Read(IConfiguration configuration, string setting, int fallback, int min, int max = int.MaxValue, string? unit = null)
    {
        var value = configuration[setting];
        if (value is null)
        {
            return fallback;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        var what = unit is null ? "a whole number" : $"a whole number of {unit}";
        // A whole number too large to hold is refused naming the largest taken, not "of at least 1" (an outside tester:
        // 99999999999 read as if it were not a whole number of at least 1).
        var tooLarge = value.Length > 0 && value.All(char.IsAsciiDigit) && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        var range = max != int.MaxValue || tooLarge ? $"from {min} to {max}" : unit is null ? $"of at least {min}" : $"(at least {min})";
        throw new StartupException($"{setting} must be {what} {range} (not '{value}').");
    }
}
