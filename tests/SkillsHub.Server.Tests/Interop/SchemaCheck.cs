using System.Text.Json;
using System.Text.Json.Nodes;

namespace SkillsHub.Server.Tests.Interop;

/// <summary>
/// A strict JSON Schema check of a served answer against the OpenAPI document's schema, for the keywords the document
/// uses ($ref, type, properties, required, items, additionalProperties, enum, oneOf/anyOf/allOf). Strict as generated
/// clients are: a oneOf must match exactly one branch, so an empty schema beside {type: null} is a fault.
/// </summary>
static class SchemaCheck
{
    public static List<string> Problems(JsonNode document, JsonNode? schema, JsonNode? value, string path = "$")
    {
        var problems = new List<string>();
        Check(document, schema, value, path, problems);
        return problems;
    }

    public static JsonNode ResponseSchema(JsonNode document, string path, string method, string status, string contentType = "application/json") =>
        document["paths"]![path]![method]!["responses"]![status]!["content"]![contentType]!["schema"]!;

    static void Check(JsonNode document, JsonNode? schema, JsonNode? value, string path, List<string> problems)
    {
        if (schema is not JsonObject s)
        {
            return;
        }
        if (s["$ref"] is JsonValue reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            Check(document, document["components"]!["schemas"]![name], value, path, problems);
        }
        if (s["type"] is { } type)
        {
            var types = type is JsonArray list ? list.Select(t => (string)t!).ToList() : [(string)type!];
            if (!types.Any(t => Is(t, value)))
            {
                problems.Add($"{path}: {Kind(value)} is not {string.Join(" or ", types)}");
                return;
            }
        }
        if (s["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            problems.Add($"{path}: {value?.ToJsonString()} is not one of {values.ToJsonString()}");
        }
        if (s["oneOf"] is JsonArray oneOf)
        {
            var matching = oneOf.Count(branch => Problems(document, branch, value, path).Count == 0);
            if (matching != 1)
            {
                problems.Add($"{path}: {value?.ToJsonString() ?? "null"} matches {matching} branches of a oneOf (exactly one allowed)");
            }
        }
        if (s["anyOf"] is JsonArray anyOf && !anyOf.Any(branch => Problems(document, branch, value, path).Count == 0))
        {
            problems.Add($"{path}: matches no branch of an anyOf");
        }
        foreach (var branch in s["allOf"] as JsonArray ?? [])
        {
            Check(document, branch, value, path, problems);
        }
        if (value is JsonObject o)
        {
            foreach (var required in s["required"] as JsonArray ?? [])
            {
                if (!o.ContainsKey((string)required!))
                {
                    problems.Add($"{path}: required property {required} is missing");
                }
            }
            var properties = s["properties"] as JsonObject;
            foreach (var (key, child) in o)
            {
                if (properties?[key] is { } property)
                {
                    Check(document, property, child, $"{path}.{key}", problems);
                }
                else if (s["additionalProperties"] is JsonValue allowed && !(bool)allowed!)
                {
                    problems.Add($"{path}: property {key} is not in the schema");
                }
                else if (s["additionalProperties"] is JsonObject additional)
                {
                    Check(document, additional, child, $"{path}.{key}", problems);
                }
            }
        }
        if (value is JsonArray items && s["items"] is { } itemSchema)
        {
            for (var i = 0; i < items.Count; i++)
            {
                Check(document, itemSchema, items[i], $"{path}[{i}]", problems);
            }
        }
    }

    static bool Is(string type, JsonNode? value) => type switch
    {
        "null" => value is null,
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value?.GetValueKind() == JsonValueKind.String,
        "boolean" => value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value?.GetValueKind() == JsonValueKind.Number,
        "integer" => value?.GetValueKind() == JsonValueKind.Number && decimal.TryParse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d),
        _ => true,
    };

    static string Kind(JsonNode? value) => value is null ? "null" : value.GetValueKind().ToString().ToLowerInvariant();
}
