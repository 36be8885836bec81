using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>Strings the server takes only from a fixed list, declared with the list (docs/operations.md, "API contract").</summary>
public static partial class OpenApiContract
{
    /// <summary>The values a parameter takes, as its endpoint declares them (<see cref="AllowedValues"/>), as its enum.</summary>
    static void DeclareAllowedValues(OpenApiOperation operation, IEnumerable<AllowedValues> declared)
    {
        foreach (var allowed in declared)
        {
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == allowed.Parameter))
            {
                if (parameter.Schema is OpenApiSchema schema)
                {
                    schema.Enum = [.. allowed.Values.Select(value => value.DeepClone())];
                }
            }
        }
    }

    /// <summary>
    /// The lists, by the type and JSON name of the property that holds one: each is the list the server checks against.
    /// Found by an outside tester: <c>PromotionRuleRequest.rule.minimumAward</c> declared none, though any other award is a 422.
    /// </summary>
    static readonly Dictionary<(Type, string), IReadOnlyList<string>> AllowedStrings = new()
    {
        [(typeof(Domain.Certification.PromotionRule), "minimumAward")] = Domain.Certification.PromotionRule.PromotingAwards,
        // The holder's ID type of a lookup (found by an outside tester: any string, though others are a 400).
        [(typeof(Certification.HolderLookupRequest), "idType")] = [.. Domain.Certification.IdNumbers.Types.Order(StringComparer.Ordinal)],
        // Required: null is refused like any other value not listed (the generator listed null for the nullable enum).
        [(typeof(Api.VisibilityRequest), "mode")] = Enum.GetNames<Abstractions.VisibilityMode>(),
    };

    static void DeclareAllowedStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is { } property && AllowedStrings.TryGetValue((property.DeclaringType, property.Name), out var allowed))
        {
            schema.Enum = [.. allowed.Select(value => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(value))];
            schema.Type ??= JsonSchemaType.String;
            if (schema.Type?.HasFlag(JsonSchemaType.Null) == true)
            {
                schema.Enum.Add(null!); // as the document's nullable enums list it
            }
        }
    }
}
