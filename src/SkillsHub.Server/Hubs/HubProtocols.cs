using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace SkillsHub.Server.Hubs;

/// <summary>
/// The leaderboard hub speaks JSON and MessagePack (docs/operations.md, "Live updates"). MessagePack payloads are
/// contractless (keys are the C# property names), enums travel as names like in JSON, decimals as
/// float64 rather than MessagePack-CSharp's default decimal-as-string, so any MessagePack client reads
/// numbers as numbers (marks have two decimals: a double holds them exactly enough to print), and instants
/// as ISO 8601 strings like in JSON rather than MessagePack-CSharp's [timestamp, offset] pair.
/// </summary>
public static class HubProtocols
{
    public static readonly MessagePackSerializerOptions MessagePackOptions = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create([new DecimalAsDoubleFormatter(), new DateTimeOffsetAsIsoFormatter()], [DynamicEnumAsStringResolver.Instance, ContractlessStandardResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);

    sealed class DecimalAsDoubleFormatter : IMessagePackFormatter<decimal>
    {
        // The double nearest the decimal, as a JSON client reads the decimal's digits: .NET's (double) cast of a decimal is
        // not correctly rounded (√3's spread came out one unit in the last place off the JSON protocol's).
        public void Serialize(ref MessagePackWriter writer, decimal value, MessagePackSerializerOptions options) =>
            writer.Write(double.Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));

        public decimal Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => reader.NextMessagePackType switch
        {
            MessagePackType.Float => (decimal)reader.ReadDouble(),
            MessagePackType.Integer => reader.ReadInt64(),
            _ => decimal.Parse(reader.ReadString() ?? "0", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    sealed class DateTimeOffsetAsIsoFormatter : IMessagePackFormatter<DateTimeOffset>
    {
        public void Serialize(ref MessagePackWriter writer, DateTimeOffset value, MessagePackSerializerOptions options) =>
            writer.Write(value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        public DateTimeOffset Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            DateTimeOffset.Parse(reader.ReadString() ?? "", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
    }
}
