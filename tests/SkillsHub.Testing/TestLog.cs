using System.Runtime.CompilerServices;

namespace SkillsHub.Testing;

/// <summary>
/// The test nodes log to the console, which `dotnet test` shows only at normal verbosity. With
/// SKILLSHUB_TEST_LOG_DIR set (./test.sh sets it), the test process's console goes to a file there instead, so a
/// failure's server-side cause can be read afterwards (docs/testing.md).
/// </summary>
static class TestLog
{
    // A test library has no entry point of its own: a module initializer is how it runs before any test does.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Test-only console redirection, before any test.")]
    [ModuleInitializer]
    internal static void RedirectConsole()
    {
        if (Environment.GetEnvironmentVariable("SKILLSHUB_TEST_LOG_DIR") is not { Length: > 0 } directory)
        {
            return;
        }
        Directory.CreateDirectory(directory);
        var name = $"{Path.GetFileNameWithoutExtension(Environment.ProcessPath)}-{AppDomain.CurrentDomain.FriendlyName}-{Environment.ProcessId}.log";
        var writer = TextWriter.Synchronized(new StreamWriter(Path.Combine(directory, name), append: true) { AutoFlush = true });
        Console.SetOut(writer);
        Console.SetError(writer);
    }
}
