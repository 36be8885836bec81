using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>Strings the server takes only from a fixed list, declared with the list (docs/operations.md, "API contract").</summary>
public static partial class OpenApiContract
{
    /// <summary>
    /// The lists, by the type and JSON name of the property that holds one: each is the list the server checks against.
    /// Found by an outside tester: <c>PromotionRuleRequest.rule.minimumAward</c> declared none, though any other award is a 422.
    /// </summary>
    static readonly Dictionary<(Type, string), IReadOnlyList<string>> AllowedStrings = new()
    {
        [(typeof(Domain.Certification.PromotionRule), "minimumAward")] = Domain.Certification.PromotionRule.PromotingAwards,
    };

    static void DeclareAllowedStrings(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo is { } property && AllowedStrings.TryGetValue((property.DeclaringType, property.Name), out var allowed))
        {
            schema.Enum = [.. allowed.Select(value => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(value))];
            if (schema.Type?.HasFlag(JsonSchemaType.Null) == true)
            {
                schema.Enum.Add(null!); // as the document's nullable enums list it
            }
        }
    }
}
