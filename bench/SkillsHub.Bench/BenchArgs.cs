using System.Globalization;

namespace SkillsHub.Bench;

/// <summary>
/// A tool's options as given on its command line ("--name value"). A value that is not what the option takes is refused
/// with an <see cref="OptionException"/> naming the option, which <see cref="Program"/> prints with the usage (exit 2),
/// rather than run a measurement with a number nobody asked for.
/// </summary>
public static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is not given.</summary>
    public static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when the option is not given.</summary>
    public static string Text(string[] args, string name, string fallback) => Text(args, name) ?? fallback;

    /// <summary>The value after <paramref name="name"/>; refused when the option is not given.</summary>
    public static string Required(string[] args, string name) => Text(args, name) ?? throw new OptionException($"{name} is required");

    /// <summary>The whole number after <paramref name="name"/>, or <paramref name="fallback"/> when the option is not given.</summary>
    public static int Int(string[] args, string name, int fallback) => Text(args, name) switch
    {
        null => fallback,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw new OptionException($"{name} takes a whole number, not '{text}'"),
    };
}

/// <summary>An option left out, or given a value it does not take: the message names the option.</summary>
public sealed class OptionException(string message) : Exception(message);
