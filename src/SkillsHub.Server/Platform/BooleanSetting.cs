namespace SkillsHub.Server.Platform;

/// <summary>
/// A true/false setting, read and checked when the node is made: "yes" or "maybe" stops the start in one line (a
/// <see cref="StartupException"/>), not later in a background service (found by an outside tester: Demo:Seed=yes on a
/// production node migrated the database, logged a stack trace and exited with code 0).
/// </summary>
public static class BooleanSetting
{
    public static bool Read(IConfiguration configuration, string setting, bool fallback)
    {
        var value = configuration[setting];
        if (value is null)
        {
            return fallback;
        }
        return bool.TryParse(value.Trim(), out var flag) ? flag : throw new StartupException($"{setting} must be true or false (not '{value}').");
    }
}
