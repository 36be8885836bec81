using System.Diagnostics.CodeAnalysis;

namespace SkillsHub.Domain.Certification;

/// <summary>An occupation of the Occupational Classification 2022, code <c>D-DD-DD-DD</c> (e.g. 6-28-01-03).</summary>
public readonly record struct OccupationCode
{
    OccupationCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>The major group, the first digit (1..8).</summary>
    public int MajorGroup => Value[0] - '0';

    public override string ToString() => Value;

    public static bool TryParse([NotNullWhen(true)] string? text, out OccupationCode code)
    {
        code = default;
        var s = text?.Trim();
        if (s is not { Length: 10 } || s[0] is < '1' or > '8')
        {
            return false;
        }
        for (var i = 1; i < 10; i++)
        {
            var ok = i % 3 == 1 ? s[i] == '-' : char.IsAsciiDigit(s[i]);
            if (!ok)
            {
                return false;
            }
        }
        code = new OccupationCode(s);
        return true;
    }

    public static OccupationCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new FormatException($"'{text}' is not an occupation code D-DD-DD-DD.");
}
