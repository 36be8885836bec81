using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsHub.Domain.Text;

/// <summary>
/// Numbers read exactly or not at all (docs/security.md, "Numbers"). A <see cref="decimal"/> holds 28 significant
/// digits and 28 places; .NET rounds a longer number silently, so <c>0.0500000000000000000000000000000001</c> read as
/// 0.05 would fall inside a band it is outside of, and <c>59.99999999999999999999999999999</c> would pass a 60 mark. A
/// number whose digits do not all fit is refused instead.
/// </summary>
public static class ExactDecimal
{
    /// <summary>Parses <paramref name="text"/> and accepts it only when the result is exactly the number written.</summary>
    public static bool TryParse(string? text, NumberStyles styles, out decimal value) =>
        decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out value) && IsExact(text, value);

    /// <summary>True when <paramref name="value"/> is exactly the number <paramref name="text"/> writes (sign, digits, point, exponent; group commas ignored).</summary>
    public static bool IsExact(ReadOnlySpan<char> text, decimal value) =>
        Canonical(text) is { } written && Canonical(value.ToString(CultureInfo.InvariantCulture)) is { } read && written == read;

    /// <summary>
    /// The number as sign, significant digits and the power of ten of the last one ("-5e-2" for -0.05; "0" for zero),
    /// or null when the text is not a plain decimal number.
    /// </summary>
    static string? Canonical(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var negative = false;
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        var exponent = 0L;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!long.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || Math.Abs(exponent) > 10_000)
            {
                return null;
            }
            text = text[..e];
        }
        var digits = new System.Text.StringBuilder(text.Length);
        var afterPoint = -1;
        foreach (var c in text)
        {
            if (c == '.' && afterPoint < 0)
            {
                afterPoint = 0;
            }
            else if (c is >= '0' and <= '9')
            {
                digits.Append(c);
                if (afterPoint >= 0)
                {
                    afterPoint++;
                }
            }
            else if (c != ',')
            {
                return null;
            }
        }
        var all = digits.ToString().TrimStart('0');
        var significant = all.TrimEnd('0');
        if (significant.Length == 0)
        {
            return "0";
        }
        var power = exponent - Math.Max(afterPoint, 0) + (all.Length - significant.Length);
        return $"{(negative ? "-" : "")}{significant}e{power}";
    }

    /// <summary>
    /// <see cref="decimal"/> in JSON, refusing a number with more digits than it holds (a <see cref="JsonException"/>,
    /// so the refusal names the field). Numbers in strings are read when the options allow it, by the same rule.
    /// </summary>
    public sealed class Converter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string text;
            if (reader.TokenType == JsonTokenType.Number)
            {
                text = System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
            }
            else if (reader.TokenType == JsonTokenType.String && (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0)
            {
                text = reader.GetString() ?? "";
            }
            else
            {
                // No message of our own: System.Text.Json then says the value could not be converted, naming the path.
                throw new JsonException();
            }
            if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                // A number all the same, only beyond a decimal's range (1e30): said as such, not as a value of another type
                // (found by an outside tester).
                throw IsOutOfRange(text) ? new OutOfRange(OutOfRangeText(text)) : new JsonException();
            }
            if (!IsExact(text, value))
            {
                throw new TooManyDigits($"'{text}' has more digits than a mark holds (28 significant digits, 28 places); it would be rounded.");
            }
            return value;
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    /// <summary>A well-formed number with more digits than a decimal holds: a value refused, not malformed JSON.</summary>
    public sealed class TooManyDigits(string message) : JsonException(message);

    /// <summary>A well-formed number beyond the largest a decimal holds (about 7.9e28 either way): a value refused, not malformed JSON.</summary>
    public sealed class OutOfRange(string message) : JsonException(message);

    /// <summary>Whether <paramref name="text"/> is a number, only one too large for a decimal.</summary>
    public static bool IsOutOfRange(string text) =>
        !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>What is wrong with a number <see cref="IsOutOfRange"/> refuses.</summary>
    public static string OutOfRangeText(string text) => $"'{text}' is beyond the largest number a mark holds ({decimal.MaxValue:N0} either way).";
}
