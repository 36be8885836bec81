using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsHub.Domain.JudgingReport;

/// <summary>
/// An exact fraction, always in lowest terms with a positive denominator. The judging report keeps
/// deviations, means and p-values exact and rounds only for display (docs/judging-report.md).
/// </summary>
[JsonConverter(typeof(RationalJsonConverter))]
public readonly record struct Rational : IComparable<Rational>
{
    readonly BigInteger _denominator;

    public BigInteger Numerator { get; }

    /// <summary>Positive; default(Rational) is zero, read as 0/1.</summary>
    public BigInteger Denominator => _denominator.IsZero ? BigInteger.One : _denominator;

    public Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("A rational needs a non-zero denominator.");
        }
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (gcd > BigInteger.One)
        {
            numerator /= gcd;
            denominator /= gcd;
        }
        Numerator = numerator;
        _denominator = denominator;
    }

    public static readonly Rational Zero = new(0, 1);
    public static readonly Rational One = new(1, 1);

    BigInteger Den => Denominator;

    public static implicit operator Rational(long value) => new(value, 1);

    public static Rational operator +(Rational a, Rational b) => new(a.Numerator * b.Den + b.Numerator * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a, Rational b) => new(a.Numerator * b.Den - b.Numerator * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a) => new(-a.Numerator, a.Den);
    public static Rational operator *(Rational a, Rational b) => new(a.Numerator * b.Numerator, a.Den * b.Den);
    public static Rational operator /(Rational a, Rational b) => new(a.Numerator * b.Den, a.Den * b.Numerator);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;

    public int Sign => Numerator.Sign;

    public Rational Abs() => Numerator.Sign < 0 ? -this : this;

    public int CompareTo(Rational other) => (Numerator * other.Den).CompareTo(other.Numerator * Den);

    public bool Equals(Rational other) => Numerator == other.Numerator && Den == other.Den;

    public override int GetHashCode() => HashCode.Combine(Numerator, Den);

    /// <summary>Rounded half away from zero to <paramref name="places"/> decimals, as shown in reports.</summary>
    public decimal Round(int places)
    {
        var scale = BigInteger.Pow(10, places);
        var twice = 2 * BigInteger.Abs(Numerator) * scale;
        var rounded = (twice + Den) / (2 * Den);
        var value = (decimal)rounded / (decimal)scale;
        return Numerator.Sign < 0 ? -value : value;
    }

    public double ToDouble() => (double)Numerator / (double)Den;

    /// <summary>"2/3", or "-1" for an integer.</summary>
    public override string ToString() => Den.IsOne ? Numerator.ToString(CultureInfo.InvariantCulture) : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Den.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Writes a rational as <c>{"value": 0.666667, "exact": "2/3"}</c> (6 places, so a display rounding to 2 or 3 rarely rounds twice): a number to draw and the exact fraction.</summary>
public sealed class RationalJsonConverter : JsonConverter<Rational>
{
    public override Rational Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var exact = document.RootElement.GetProperty("exact").GetString() ?? throw new JsonException("exact is missing");
        var parts = exact.Split('/');
        return new Rational(BigInteger.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? BigInteger.Parse(parts[1], CultureInfo.InvariantCulture) : BigInteger.One);
    }

    public override void Write(Utf8JsonWriter writer, Rational value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("value", value.Round(6));
        writer.WriteString("exact", value.ToString());
        writer.WriteEndObject();
    }
}
