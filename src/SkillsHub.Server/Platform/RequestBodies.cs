using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace SkillsHub.Server.Platform;

/// <summary>
/// How an endpoint declares a request body it reads itself; Hosting/OpenApiContract.cs writes them into the
/// OpenAPI document (docs/operations.md, "API contract").
/// </summary>
public static class RequestBodies
{
    /// <summary>
    /// Endpoint metadata: the JSON body a handler reads itself (Platform/Body.cs, so malformed JSON becomes a problem naming the
    /// field). Documentation only: unlike <c>Accepts&lt;T&gt;</c> it does not make routing refuse other content types.
    /// </summary>
    public sealed record JsonBody(Type Type, string? JsonString = null)
    {
        /// <summary>The schema of <see cref="Type"/>, or, when the body may also be a bare JSON string, one of the two.</summary>
        internal IOpenApiSchema OrJsonString(IOpenApiSchema schema) => JsonString is null ? schema
            : new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.String, Description = JsonString }, schema] };
    }

    /// <summary>The body limit of the small forms anyone may send (sign-in, password, pairing, certificate lookups): 16 KB.</summary>
    public const long SmallFormBytes = 16 * 1024;

    /// <summary>
    /// Limits the endpoints' bodies to <see cref="SmallFormBytes"/> (a larger one is 413 naming body, with limitBytes): their
    /// fields are a few hundred characters at most. Found by an outside tester: anonymous forms read 29 MB bodies.
    /// </summary>
    public static TBuilder WithSmallBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(SmallFormBytes));

    /// <summary>
    /// A signed-in person's JSON form (a new competition, visibility, a lock, an unlock, a promotion's certificate): at most
    /// 64 KB, room for its longest text (an unlock's reason, 4,000 characters) even with every character escaped as \uXXXX.
    /// Found by an outside tester: such a form read a 20 MB property and was set.
    /// </summary>
    public const long FormBytes = 64 * 1024;

    public static TBuilder WithFormBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(FormBytes));

    /// <summary>Documents <typeparamref name="T"/> as the endpoint's JSON request body (see <see cref="JsonBody"/>).</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) => builder.WithMetadata(new JsonBody(typeof(T)));

    /// <summary>Documents <typeparamref name="T"/>, or a bare JSON string as <paramref name="description"/> says, as the JSON request body.</summary>
    public static RouteHandlerBuilder AcceptsJsonOrString<T>(this RouteHandlerBuilder builder, string description) => builder.WithMetadata(new JsonBody(typeof(T), description));

    /// <summary>
    /// Endpoint metadata for a body the handler reads itself in a media type other than JSON (a CSV import, a bare
    /// JWT, a file as multipart/form-data field "file" or as the raw body): documented beside any <c>Accepts&lt;T&gt;</c> JSON.
    /// </summary>
    public sealed record RequestBodyAlternative(string ContentType, string Description)
    {
        internal OpenApiSchema Schema() => ContentType == "multipart/form-data"
            ? new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "file" },
                Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = Description } },
            }
            : new OpenApiSchema { Type = JsonSchemaType.String, Format = IsText(ContentType) ? null : "binary", Description = Description };
    }

    /// <summary>Text and JWTs are strings in the document; anything else (PDF, ZIP, a photo) is binary.</summary>
    static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("jwt", StringComparison.Ordinal);

    /// <summary>The body may also be CSV text (the roster and scheme imports).</summary>
    public static TBuilder AcceptsCsv<TBuilder>(this TBuilder builder, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyAlternative("text/csv", description));

    /// <summary>
    /// The body limit of a file upload: 64 MB, which the server (Kestrel) enforces for these endpoints too, so a larger file
    /// is one answer whatever its transfer, 413 naming body with limitBytes (found by an outside tester: Kestrel's default
    /// 30 MB limit answered first, and a Content-Length over 64 MB was a 400 saying files up to 64 MB were taken).
    /// </summary>
    public const long MaxUploadBytes = 64 * 1024 * 1024;

    /// <summary>
    /// A file upload: multipart/form-data with the field "file", or the file itself as the body in one of
    /// <paramref name="contentTypes"/>; at most <see cref="MaxUploadBytes"/>.
    /// </summary>
    public static TBuilder AcceptsFile<TBuilder>(this TBuilder builder, string description, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.AcceptsFile(description, MaxUploadBytes, contentTypes);

    /// <summary>A file upload (<see cref="AcceptsFile{TBuilder}(TBuilder, string, string[])"/>) whose body is at most <paramref name="maxBytes"/>.</summary>
    public static TBuilder AcceptsFile<TBuilder>(this TBuilder builder, string description, long maxBytes, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(maxBytes));
        builder.WithMetadata(new RequestBodyAlternative("multipart/form-data", description));
        foreach (var type in contentTypes)
        {
            builder.WithMetadata(new RequestBodyAlternative(type, description));
        }
        return builder;
    }

    /// <summary>Endpoint metadata: a file upload whose body may be the file itself, named by the <c>X-File-Name</c> header (percent-encoded UTF-8).</summary>
    public sealed record FileNameHeader;

    /// <summary>Declares the <c>X-File-Name</c> header of an upload that keeps the file's name (<see cref="FileNameHeader"/>).</summary>
    public static TBuilder TakesFileName<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FileNameHeader());

    /// <summary>
    /// Endpoint metadata: a success answer the handler writes in a media type the generator cannot see (a file, a JWT,
    /// JSON written as text): JSON types as an object, text and JWTs as a string, anything else as binary.
    /// </summary>
    public sealed record ResponseContent(int Status, string ContentType)
    {
        internal OpenApiSchema Schema() => ContentType switch
        {
            // The agencies' keys as RFC 7517 has them, so a generated client reads a key set's keys without a cast (found by
            // an outside tester: a bare object).
            "application/jwk-set+json" => new OpenApiSchema
            {
                Type = JsonSchemaType.Object, Required = new HashSet<string> { "keys" },
                Properties = new Dictionary<string, IOpenApiSchema> { ["keys"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Jwk() } },
            },
            "application/jwk+json" => Jwk(),
            _ when ContentType.EndsWith("json", StringComparison.Ordinal) => new OpenApiSchema { Type = JsonSchemaType.Object },
            _ when IsText(ContentType) => new OpenApiSchema { Type = JsonSchemaType.String },
            _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
        };

        static JsonNode Text(string value) => JsonValue.Create(value);

        /// <summary>An Ed25519 public key as a JWK (RFC 8037): what every SkillsHub key is.</summary>
        static OpenApiSchema Jwk() => new()
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "kty", "crv", "x", "kid" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["kty"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [Text("OKP")] },
                ["crv"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [Text("Ed25519")] },
                ["x"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The public key, base64url." },
                ["kid"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = "The key's address, as a credential names it." },
                ["alg"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [Text("EdDSA")] },
                ["use"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [Text("sig")] },
            },
        };
    }

    /// <summary>Documents a 200 answer in each of <paramref name="contentTypes"/> (see <see cref="ResponseContent"/>).</summary>
    public static TBuilder ProducesContent<TBuilder>(this TBuilder builder, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var type in contentTypes)
        {
            builder.WithMetadata(new ResponseContent(StatusCodes.Status200OK, type));
        }
        return builder;
    }
}
