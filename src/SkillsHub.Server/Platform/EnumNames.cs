using System.Text.Json;
using System.Text.Json.Serialization;

namespace SkillsHub.Server.Platform;

/// <summary>
/// Enums in the bodies the server reads itself travel as their names only ("Frozen", "Level4"; any case). The
/// framework's string-enum converter also takes numbers and comma lists, so <c>"awardLevel": 4</c> read as Level2 (the
/// enum's position, though a level 4 means Level 4 everywhere else) and <c>"mode": "Live,Hidden"</c> as Hidden; such a
/// value is refused naming its field (docs/security.md).
/// </summary>
public sealed class EnumNames : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(NameOnly<>).MakeGenericType(typeToConvert))!;

    /// <summary>A value that is not one of an enum's names: a value of the wrong type, not malformed JSON (<see cref="Body"/>).</summary>
    public sealed class NotAName(string message) : JsonException(message);

    sealed class NameOnly<T> : JsonConverter<T> where T : struct, Enum
    {
        static readonly string[] Names = Enum.GetNames<T>();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (Names.FirstOrDefault(name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase)) is { } known)
            {
                return Enum.Parse<T>(known);
            }
            throw new NotAName($"The value is one of {string.Join(", ", Names)} (as a string).");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
