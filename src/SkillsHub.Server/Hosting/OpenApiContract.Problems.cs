using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>The one problem-details schema every error answer of the API document names (docs/pages.md, "Errors").</summary>
public static partial class OpenApiContract
{
    /// <summary>
    /// The problem schema, once under components/schemas: every error answer of every operation names it (inlined, it
    /// was most of the document: 1.7 MB, found by an outside tester).
    /// </summary>
    static IOpenApiSchema ProblemReference(OpenApiDocument? document)
    {
        if (document is null)
        {
            return NewProblemSchema();
        }
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey("ProblemDetails"))
        {
            document.Components.Schemas["ProblemDetails"] = NewProblemSchema();
        }
        return new OpenApiSchemaReference("ProblemDetails", document);
    }

    /// <summary>
    /// A new schema object for each document: a node's document is its own, and one object shared by every node of a
    /// process (a test process runs several) would let one node's generation touch what another is writing out.
    /// </summary>
    static OpenApiSchema NewProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine code of the problem (e.g. unknown-skill, marks.locked); docs/pages.md, \"Languages\"." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, for the server's logs." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Each field at fault with its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["limitBytes"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "413: the operation's body limit." },
            ["rows"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "An import's 422: each refused row with its stable code and arguments (docs/pages.md, \"Languages\").",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["row"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null },
                        ["id"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["args"] = new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String } },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
            ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A refused mark: the first refusal's kind (Locked, OutOfRange, ...)." },
            ["aspectId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A refused mark: the aspect of the first refusal (left out when it names none, e.g. an unknown competitor)." },
            ["scores"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Integer }, Description = "A refused mark: the judges' scores at fault (a spread violation); left out otherwise." },
            ["replayed"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "A refused mark batch sent again with its key: this is the first answer, repeated." },
            ["retryAfter"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "429: seconds to wait (as the Retry-After header)." },
            ["lastEventId"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The results feed's 409 ahead-of-the-feed: the competition's last event id; start again from ?since=0 (docs/feed.md)." },
            ["passwordChangeRequired"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "A sign-in's 403: the account must set a new password first (POST /api/auth/password)." },
            ["certificateNumber"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A promotion's 409: the certificate already issued for this person and occupation." },
            ["runId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "A job's 409 Already running: the run queued or running for the session; follow its progress." },
            ["groups"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An expert's removal refused with 409 expert-in-a-marking-group: the marking groups they are in, comma-separated." },
            ["bundleId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "A bundle's 409 Already running: the bundle being built for the session." },
            ["refusals"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "A refused mark batch: every refusal (the first decides the status).",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["aspectId"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["scores"] = new OpenApiSchema { Type = JsonSchemaType.Array | JsonSchemaType.Null, Items = new OpenApiSchema { Type = JsonSchemaType.Integer }, Description = "The judges' scores at fault, when the refusal is a spread violation." },
                    },
                },
            },
        },
    };
}
