using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>A request's required property is never null in the document, as the server never takes null for one.</summary>
public static partial class OpenApiContract
{
    /// <summary>
    /// The generator types a nullable C# property as <c>["null", …]</c> (or <c>oneOf</c> null and a reference), also where
    /// the property is required. A request type's required property is one the server refuses to do without, and it refuses
    /// null for it as it refuses its absence (a 400 or 422 naming it): such a property lists no null (found by an outside
    /// tester: 21 request schemas accepted null where the server refused it, so generated clients typed them nullable).
    /// Two request types are answers too, and never hold null there either: the competition a POST created (its code,
    /// name, city and country are stored not null) and a skill's marking scheme (docs/operations.md, "API contract").
    /// </summary>
    static void RequiredIsNeverNull(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var operations = document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []);
        foreach (var schema in Reached(operations.SelectMany(o => o.RequestBody?.Content?.Values.AsEnumerable() ?? []).Select(m => m.Schema), schemas))
        {
            if (schema is not OpenApiSchema { Required: { } required, Properties: { } properties })
            {
                continue;
            }
            foreach (var property in required.Where(properties.ContainsKey))
            {
                switch (properties[property])
                {
                    // A type list naming null, or an enum listing it (an enum of names has no type).
                    case OpenApiSchema plain when plain.Type?.HasFlag(JsonSchemaType.Null) == true || plain.Enum?.Any(value => value is null) == true:
                        plain.Type &= ~JsonSchemaType.Null;
                        plain.Enum = plain.Enum?.Where(value => value is not null).ToList();
                        break;
                    case OpenApiSchema { OneOf: { Count: 2 } either } when either.Count(IsNull) == 1:
                        properties[property] = either.Single(option => !IsNull(option));
                        break;
                }
            }
        }
    }

    static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    /// <summary>The schemas the roots reach (components and inline ones), through references, properties, items and combinations.</summary>
    static List<IOpenApiSchema> Reached(IEnumerable<IOpenApiSchema?> roots, IDictionary<string, IOpenApiSchema> schemas)
    {
        var found = new List<IOpenApiSchema>();
        var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && schemas.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }
                continue;
            }
            if (!seen.Add(schema))
            {
                continue;
            }
            found.Add(schema);
            var children = (schema.Properties?.Values.AsEnumerable() ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? [])
                .Append(schema.Items).Append(schema.AdditionalProperties);
            foreach (var child in children.OfType<IOpenApiSchema>())
            {
                pending.Push(child);
            }
        }
        return found;
    }
}
