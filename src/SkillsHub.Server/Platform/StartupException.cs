namespace SkillsHub.Server.Platform;

/// <summary>A startup problem the operator can fix; reported as one line without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A setting the node cannot use: fixed by hand, and the shipped systemd unit does not restart the node.</summary>
    public const int SettingExitCode = 1;

    /// <summary>
    /// Something the node needs is not there yet (its database not answering): EX_TEMPFAIL, so that a supervisor starts the
    /// node again (docs/deployment.md, "Stopping").
    /// </summary>
    public const int NotYetExitCode = 75;

    public int ExitCode { get; init; } = SettingExitCode;
}
