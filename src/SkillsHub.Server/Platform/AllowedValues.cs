using System.Text.Json.Nodes;

namespace SkillsHub.Server.Platform;

/// <summary>
/// Endpoint metadata: the only values a query or path parameter takes. The OpenAPI document lists them as the parameter's
/// <c>enum</c> (Hosting/OpenApiContract.cs; docs/operations.md, "API contract"), and the handler checks against the same
/// list, so a client generated from the document knows them (found by an outside tester: <c>format</c>, <c>status</c>,
/// <c>purpose</c> and <c>judges</c> were declared as any string or number).
/// </summary>
public sealed record AllowedValues(string Parameter, IReadOnlyList<JsonNode> Values)
{
    public static readonly IReadOnlyList<string> CredentialFormats = ["jwt", "json"];
    public static readonly IReadOnlyList<string> SchemeFormats = ["json", "csv"];
    public static readonly IReadOnlyList<string> PromotionStates = ["open", "issued"];
}

public static class AllowedValuesExtensions
{
    /// <summary>Declares the strings <paramref name="parameter"/> takes (see <see cref="AllowedValues"/>).</summary>
    public static RouteHandlerBuilder Allows(this RouteHandlerBuilder builder, string parameter, IEnumerable<string> values) =>
        builder.WithMetadata(new AllowedValues(parameter, [.. values.Select(v => (JsonNode)JsonValue.Create(v))]));

    /// <summary>Declares the whole numbers <paramref name="parameter"/> takes (see <see cref="AllowedValues"/>).</summary>
    public static RouteHandlerBuilder Allows(this RouteHandlerBuilder builder, string parameter, IEnumerable<int> values) =>
        builder.WithMetadata(new AllowedValues(parameter, [.. values.Select(v => (JsonNode)JsonValue.Create(v))]));
}
