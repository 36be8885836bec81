namespace SkillsHub.Server.Platform;

/// <summary>A startup problem the operator can fix; reported as one line without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
