using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsHub.Server.Platform;

/// <summary>
/// An instant in a JSON body must say which clock it was read from: ISO 8601 with its offset (<c>Z</c> or
/// <c>+08:00</c>). Without one, .NET would take the server's own zone, so a tablet's <c>2026-12-02T10:00:00</c> (China
/// time) would be read as 10:00 UTC, eight hours off; a date alone would be its midnight. Such a value is refused
/// naming the field (docs/scoring.md, "Order").
/// </summary>
public sealed class InstantWithOffset : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }
        var text = reader.GetString() ?? "";
        var offset = text.Length > 10 && text.IndexOf('T', StringComparison.OrdinalIgnoreCase) is var t and > 0
            && (text.EndsWith('Z') || text.EndsWith('z') || (text.Length > t + 6 && text[^6] is '+' or '-' && text[^3] == ':'));
        if (!offset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new NotAnInstant("Not an ISO 8601 instant with its offset, such as 2026-12-02T10:00:00+08:00 or 2026-12-02T02:00:00Z.");
        }
        return value;
    }

    /// <summary>A string that is not an instant with its offset: a value of the wrong kind, not malformed JSON (<see cref="Body"/>).</summary>
    public sealed class NotAnInstant(string message) : JsonException(message);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
