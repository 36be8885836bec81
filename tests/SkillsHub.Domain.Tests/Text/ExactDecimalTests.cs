using System.Globalization;
using System.Text.Json;
using SkillsHub.Domain.Text;

namespace SkillsHub.Domain.Tests.Text;

/// <summary>Found by an outside tester: numbers longer than a decimal holds were rounded silently, one into a band it is outside of.</summary>
public sealed class ExactDecimalTests
{
    [Theory]
    [InlineData("0.05", "0.05")]
    [InlineData("0.0500000000", "0.05")]
    [InlineData("-0", "0")]
    [InlineData("20", "20")]
    [InlineData("20.00", "20")]
    [InlineData("1e2", "100")]
    [InlineData("5E-2", "0.05")]
    [InlineData("1,000.5", "1000.5")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    public void ANumberThatFits_IsReadAsWritten(string text, string expected)
    {
        Assert.True(ExactDecimal.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("0.0500000000000000000000000000000000000001")]
    [InlineData("20.000000000000000000000000000001")]
    [InlineData("19.999999999999999999999999999999")]
    [InlineData("59.99999999999999999999999999999")]
    [InlineData("1e-30")]
    [InlineData("0.00000000000000000000000000001")]
    public void ANumberThatWouldBeRounded_IsRefused(string text) =>
        Assert.False(ExactDecimal.TryParse(text, NumberStyles.Float, out _));

    sealed record Mark(decimal? Deviation);

    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new ExactDecimal.Converter() } };

    [Fact]
    public void InJson_AnExactNumberReads_ARoundedOneIsAJsonErrorNamingTheField()
    {
        Assert.Equal(0.05m, JsonSerializer.Deserialize<Mark>("""{"deviation":0.050}""", Options)!.Deviation);
        Assert.Null(JsonSerializer.Deserialize<Mark>("""{"deviation":null}""", Options)!.Deviation);
        var refused = Assert.Throws<ExactDecimal.TooManyDigits>(() => JsonSerializer.Deserialize<Mark>("""{"deviation":0.0500000000000000000000000000000000000001}""", Options));
        Assert.Equal("$.deviation", refused.Path);
        Assert.Contains("more digits", refused.Message);
        // Web defaults read numbers from strings: by the same rule.
        Assert.Equal(0.05m, JsonSerializer.Deserialize<Mark>("""{"deviation":"0.05"}""", Options)!.Deviation);
        Assert.Throws<ExactDecimal.TooManyDigits>(() => JsonSerializer.Deserialize<Mark>("""{"deviation":"1e-30"}""", Options));
        Assert.Equal("$.deviation", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Mark>("""{"deviation":true}""", Options)).Path);
    }

    /// <summary>
    /// A number beyond a decimal's range is a number all the same: refused as too large, naming the field, not as a value of
    /// another type (found by an outside tester: 1e30 as a deviation read "not of the type its field takes").
    /// </summary>
    [Theory]
    [InlineData("1e30")]
    [InlineData("-1e30")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e400")]
    [InlineData("\"1e30\"")]
    public void InJson_ANumberBeyondTheRange_IsRefusedAsSuch(string json)
    {
        var refused = Assert.Throws<ExactDecimal.OutOfRange>(() => JsonSerializer.Deserialize<Mark>($$"""{"deviation":{{json}}}""", Options));
        Assert.Equal("$.deviation", refused.Path);
        Assert.Contains("beyond the largest number", refused.Message);
        Assert.Equal(decimal.MaxValue, JsonSerializer.Deserialize<Mark>("""{"deviation":79228162514264337593543950335}""", Options)!.Deviation);
        Assert.Equal("$.deviation", Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Mark>("""{"deviation":"big"}""", Options)).Path);
        Assert.True(ExactDecimal.IsOutOfRange("1e30"));
        Assert.False(ExactDecimal.IsOutOfRange("1e-30"));
        Assert.False(ExactDecimal.IsOutOfRange("abc"));
    }
}
