using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// What the generated OpenAPI document states beyond what each endpoint declares (docs/operations.md,
/// "API contract"), applied to every operation from its metadata so the endpoint declarations stay as they are:
/// an operationId, the security requirement its authorization policy implies (cookie session, tablet bearer
/// token, or anonymous), problem-details responses for the errors it can give, the Idempotency-Key header of
/// the marks endpoint, and numbers typed as numbers (not "integer or string").
/// </summary>
public static partial class OpenApiContract
{
    public const string CookieScheme = "session";
    public const string BearerScheme = "tablet";
    public const string ApiTokenScheme = "apiToken";
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            // Fixed, not the host's assembly name (which differs under a test host): the committed copy must match.
            document.Info ??= new OpenApiInfo();
            document.Info.Title = "SkillsHub API";
            // Public reads also answer HEAD (Hosting/PublicCors.cs): the document lists each as its GET.
            foreach (var path in document.Paths.Values.OfType<OpenApiPathItem>())
            {
                path.Operations?.Remove(HttpMethod.Head);
            }
            // PublicBaseUrl, never the request's Host or X-Forwarded-Host, which any client sets (Platform/PublicAddress.cs).
            document.Servers = [new OpenApiServer { Url = context.ApplicationServices.GetRequiredService<Platform.PublicAddress>().BaseUrl }];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = "skillshub",
                Description = "The session cookie set by POST /api/auth/login (organisers, admins, agency officers); __Host-skillshub on an HTTPS deployment (Security:Https).",
            };
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The device token a paired judge's tablet receives from POST /api/pairing/redeem.",
            };
            document.Components.SecuritySchemes[ApiTokenScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal API token (shp_…) an organiser, admin or officer creates at /api/me/tokens: acts with the account's current roles (docs/security.md).",
            };
            RequiredIsNeverNull(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var description = context.Description;
            operation.OperationId ??= OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");
            DescribeSkillNumber(operation);
            DeclareAllowedValues(operation, description.ActionDescriptor.EndpointMetadata.OfType<AllowedValues>());
            DescribePaging(operation, context.Description.ActionDescriptor.EndpointMetadata.OfType<Platform.Paging.PageLimit>().LastOrDefault());
            var isPublic = DeclareSecurity(operation, description, context.Document!);
            foreach (var json in description.ActionDescriptor.EndpointMetadata.OfType<RequestBodies.JsonBody>())
            {
                var schema = await context.GetOrCreateSchemaAsync(json.Type, null, cancellationToken);
                BodyContent(operation)["application/json"] = new OpenApiMediaType { Schema = json.OrJsonString(Component(json.Type, schema, context.Document)) };
            }
            foreach (var body in description.ActionDescriptor.EndpointMetadata.OfType<RequestBodies.RequestBodyAlternative>())
            {
                BodyContent(operation)[body.ContentType] = new OpenApiMediaType { Schema = body.Schema() };
            }
            operation.Responses ??= [];
            foreach (var answer in description.ActionDescriptor.EndpointMetadata.OfType<RequestBodies.ResponseContent>())
            {
                var key = answer.Status.ToString(CultureInfo.InvariantCulture);
                if (!operation.Responses.TryGetValue(key, out var declared) || declared is not OpenApiResponse response)
                {
                    operation.Responses[key] = response = new OpenApiResponse { Description = "OK" };
                }
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[answer.ContentType] = new OpenApiMediaType { Schema = answer.Schema() };
            }
            void Problem(string status, string text)
            {
                if (!operation.Responses.ContainsKey(status))
                {
                    operation.Responses[status] = new OpenApiResponse
                    {
                        Description = text,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = ProblemReference(context.Document) } },
                    };
                }
            }
            if (operation.Responses.Remove("503"))
            {
                Problem("503", "Every spectator place of this node is taken (code too-many-spectators), or the database is unavailable: retry after Retry-After seconds.");
            }
            // Every operation may meet a database outage (Hosting/DatabaseUnavailableHandler.cs): a resend after Retry-After
            // is safe, and a mark resent with its Idempotency-Key is stored once (found by an outside tester: undeclared).
            Problem("503", "The database is unavailable for a moment (code database-unavailable): retry after Retry-After seconds; a mark resent with the same Idempotency-Key is stored once.");
            // Statuses an endpoint declares without content (.Produces(status)) are problems.
            foreach (var (status, text) in new[]
            {
                ("401", "Not signed in, or the credentials are wrong."),
                ("403", "Refused: for a sign-in, passwordChangeRequired (set a new password first), a browser's cross-site request (naming Origin), or a password sent over plain HTTP where HTTPS is required."),
                ("406", "Accept allows none of the media types this operation answers in (problem details naming Accept)."),
                ("422", "Valid request, invalid content: problem details naming each field."),
            })
            {
                if (operation.Responses.Remove(status))
                {
                    Problem(status, text);
                }
            }
            if (operation.Responses.Remove("409"))
            {
                Problem("409", description.RelativePath == Feed.FeedApi.Route.TrimStart('/')
                    ? "Conflicts with the current state (the results feed: a resume point past its last event, ahead-of-the-feed, with lastEventId)."
                    : "Conflicts with the current state (problem details with its code).");
            }
            // Any other error status declared without content is a problem as well (found by an outside tester: the feed's 409 was not).
            foreach (var status in operation.Responses.Where(r => r.Key[0] is '4' or '5' && r.Value is OpenApiResponse { Content: null or { Count: 0 } }).Select(r => r.Key).ToList())
            {
                operation.Responses.Remove(status, out var declared);
                Problem(status, (declared?.Description ?? $"HTTP {status}") + ": problem details.");
            }
            // A body bound by ASP.NET, or a JSON-only body read by Platform/Body.cs (which answers 415 as ASP.NET does).
            var metadata = description.ActionDescriptor.EndpointMetadata;
            var bound = description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body);
            if (bound || (metadata.OfType<RequestBodies.JsonBody>().Any() && !metadata.OfType<RequestBodies.RequestBodyAlternative>().Any()))
            {
                Problem("415", "The body's Content-Type is not one this operation takes (application/json).");
            }
            else if (metadata.OfType<RequestBodies.RequestBodyAlternative>().Any())
            {
                // Platform/DeclaredBodies.cs: an upload or import takes only the media types declared here.
                Problem("415", "The body's Content-Type is not one this operation takes (those of its requestBody).");
            }
            if (bound || metadata.OfType<RequestBodies.JsonBody>().Any() || metadata.OfType<RequestBodies.RequestBodyAlternative>().Any())
            {
                Problem("413", "The body is larger than this operation's limit (problem details naming body or file, with limitBytes when known).");
                Problem("408", "The body stopped arriving before it was complete (the server's minimum data rate): nothing was applied; send it again.");
            }
            Problem("400", "Bad request: problem details naming the field.");
            if (Platform.WriteConditions.Applies("/" + description.RelativePath))
            {
                Problem("412", description.HttpMethod is "POST" or "PUT" or "DELETE" or "PATCH" ? "If-Match names an entity tag, or If-None-Match is \"*\": a write's resource carries no entity tag, so the condition is false and nothing is done (problem details naming the header)." : "If-Match names an entity tag: a read's entity tag is weak (or absent), which If-Match's strong comparison never matches (problem details naming If-Match).");
            }
            if (isPublic && description.HttpMethod is "POST" or "PUT" or "DELETE" or "PATCH")
            {
                // A write from another site's page is refused before anything else (Security/RequestForgery.cs), public ones too.
                Problem("403", "A browser's cross-site request (its Origin is not this site's): problem details naming Origin.");
            }
            if (!isPublic)
            {
                Problem("401", "Not signed in.");
                Problem("403", "Signed in without the right to do this.");
            }
            else
            {
                // A token sent and refused is never taken for anonymous (Security/RefusedBearerTokens.cs).
                Problem("401", "A bearer token was sent and refused (unknown, revoked or expired): WWW-Authenticate names invalid_token. Send a valid token, or none.");
            }
            if (description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
            {
                Problem("429", "Too many requests from this client (or, for a disclosure, for this certificate): retry after Retry-After seconds.");
            }
            if ((description.RelativePath ?? "").Contains('{'))
            {
                Problem("404", "Not found: problem details naming the route value, or the body's field that names nothing on file.");
            }
            else if (description.HttpMethod is "POST" or "PUT" && (bound || metadata.OfType<RequestBodies.JsonBody>().Any()))
            {
                // A body may name what is not on file: a person to appoint, a certificate holder searched for (found by an
                // outside tester: these 404s were not declared).
                Problem("404", "Not found: problem details naming the body's field that names nothing on file.");
            }
            if (description.HttpMethod is "POST" or "PUT")
            {
                Problem("409", "Conflicts with the current state.");
                Problem("422", "Valid JSON, invalid content: problem details naming each field.");
            }
            DeclareHeaders(operation, description.HttpMethod ?? "GET", description.RelativePath ?? "", metadata.OfType<Platform.CreatedWithoutLocation>().Any());
            if (metadata.OfType<Platform.RequestBodies.FileNameHeader>().Any())
            {
                // Found by an outside tester: the header was read but declared nowhere, and its percent-decoding said nowhere.
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "X-File-Name",
                    In = ParameterLocation.Header,
                    Description = "The file's name when the body is the file itself, percent-encoded UTF-8 (RFC 3986: '%25' for '%'); a multipart part carries its own. Shown on /agency: one line of at most 200 characters.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000 },
                });
            }
            if ((description.RelativePath ?? "").EndsWith("/marks", StringComparison.Ordinal) && description.HttpMethod == "POST")
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "Idempotency-Key",
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "Unique per batch (1-100 printable ASCII characters, not all spaces): a resend with the same key is answered as the first time, never counted twice.",
                    // Printable ASCII with at least one character that is not a space (the server trims the key; found by an
                    // outside tester: "   " met the declared length and was refused).
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 100, Pattern = "^[ -~]*[!-~][ -~]*$" },
                });
            }
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // A Rational is written by its own converter as {"value": -0.166667, "exact": "-1/6"} (docs/judging-report.md);
            // the generator cannot see into a converter and would say {}, which also makes a nullable one's oneOf ambiguous.
            if (context.JsonTypeInfo.Type == typeof(Domain.JudgingReport.Rational))
            {
                schema.Type = JsonSchemaType.Object;
                schema.Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["value"] = new OpenApiSchema { Type = JsonSchemaType.Number, Description = "Rounded to 6 decimals, for display." },
                    ["exact"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^-?[0-9]+(/[0-9]+)?$", Description = "The exact fraction (numerator/denominator, or an integer)." },
                };
                schema.Required = new HashSet<string> { "value", "exact" };
                schema.AdditionalPropertiesAllowed = false;
                return Task.CompletedTask;
            }
            // A property that a body read by hand (the marking scheme) cannot do without is [Required]: the generator lists only
            // record parameters without a default, so the attribute is read here (docs/operations.md, "API contract").
            if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
            {
                foreach (var property in context.JsonTypeInfo.Properties
                    .Where(p => p.AttributeProvider?.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), inherit: false) == true))
                {
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(property.Name);
                }
            }
            DeclareAllowedStrings(schema, context);
            // .NET's web JSON defaults also read numbers from strings, which the generator states as ["integer","string"];
            // clients send and receive numbers, so the contract says number.
            if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// A skill's <c>{number}</c> in a path: 1 to 99, written <c>7</c> or <c>07</c> (Hosting/SkillNumberRouteConstraint.cs).
    /// The generator gave it a string pattern for whole numbers, which refused the two-digit form the docs use (found by
    /// an outside tester).
    /// </summary>
    static void DescribeSkillNumber(OpenApiOperation operation)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter is { In: ParameterLocation.Path, Name: "number", Schema: OpenApiSchema schema } && schema.Type == JsonSchemaType.Integer)
            {
                schema.Pattern = null;
                schema.Minimum = "1";
                schema.Maximum = "99";
                parameter.Description = "The skill's number, 1 to 99: 7 or 07 (the two-digit form skill keys and results.csv write).";
            }
            // Paging is by cursor (Platform/Paging.cs): found by an outside tester, a client read after as an offset and got
            // the same page again.
            else if (parameter is { In: ParameterLocation.Query, Description: null })
            {
                parameter.Description = parameter.Name switch
                {
                    "after" => "A cursor, not an offset: the id of the last item of the previous page (evaluationId, promotion id), 0 or absent for the first page.",
                    "before" => "A cursor for a newest-first list: the id of the last item of the previous page.",
                    "limit" => "How many items a page holds at most (400 naming limit when out of range).",
                    _ => null,
                };
            }
        }
    }

    /// <summary>
    /// The ranges paging takes, as the handler checks them (Platform/Paging.cs): <c>limit</c> 1 to the endpoint's maximum,
    /// <c>after</c> 0 or more, <c>before</c> 1 or more (found by an outside tester: no limit declared its range).
    /// </summary>
    static void DescribePaging(OpenApiOperation operation, Platform.Paging.PageLimit? page)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            if (parameter.Schema is not OpenApiSchema schema)
            {
                continue;
            }
            switch (parameter.Name)
            {
                case "limit" when page is not null:
                    schema.Minimum = "1";
                    schema.Maximum = page.Max.ToString(CultureInfo.InvariantCulture);
                    if (page.Default is { } fallback)
                    {
                        schema.Default ??= System.Text.Json.Nodes.JsonValue.Create(fallback);
                    }
                    parameter.Description = $"How many items a page holds at most: 1 to {page.Max}{(schema.Default is { } given ? $", {given.ToJsonString()} when left out" : "")}; another value is a 400 naming limit.";
                    break;
                case "after":
                    schema.Minimum = "0";
                    break;
                case "before":
                    schema.Minimum = "1";
                    break;
            }
        }
    }

    /// <summary>
    /// The response headers a client acts on: <c>Retry-After</c> on 429 and 503, <c>Location</c> on 201,
    /// <c>Content-Disposition</c> on downloads (not on a status list, read by verifiers, not saved), and on the public reads that revalidate (Hosting/TransferRegistration.cs)
    /// their <c>ETag</c> and the 304 a matching <c>If-None-Match</c> gets.
    /// </summary>
    static void DeclareHeaders(OpenApiOperation operation, string method, string path, bool withoutLocation)
    {
        static OpenApiHeader Header(string description, JsonSchemaType type, string? format = null) =>
            new() { Description = description, Schema = new OpenApiSchema { Type = type, Format = format } };
        void Add(string status, string name, OpenApiHeader header)
        {
            if (operation.Responses!.TryGetValue(status, out var declared) && declared is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[name] = header;
            }
        }
        Add("429", "Retry-After", Header("Seconds to wait before trying again.", JsonSchemaType.Integer));
        Add("503", "Retry-After", Header("Seconds to wait before trying again.", JsonSchemaType.Integer));
        if (!withoutLocation)
        {
            Add("201", "Location", Header("The address of what was created.", JsonSchemaType.String, "uri-reference"));
        }
        Add("202", "Location", Header("Where the work's progress or outcome can be read, when there is such an address.", JsonSchemaType.String, "uri-reference"));
        if (operation.Responses!.TryGetValue("200", out var ok) && ok is OpenApiResponse { Content: { } content }
            && content.Keys.Any(type => type is "text/csv" or "application/pdf" or "application/zip" or "application/vc+jwt") && !path.StartsWith("api/status-lists/", StringComparison.Ordinal))
        {
            Add("200", "Content-Disposition", Header("The file's name (RFC 6266, with filename* in UTF-8), sent with the file forms of the answer (CSV, PDF, ZIP, JWT download).", JsonSchemaType.String));
        }
        // A certificate's answer carries its ETag from the lookup cache (Certification/CertificateLookupCache.cs).
        if (method == "GET" && (TransferRegistration.IsPublicRead(path) || path == "api/certificates/{number}"))
        {
            Add("200", "ETag", Header("A weak validator of the answer: send it back in If-None-Match to revalidate.", JsonSchemaType.String));
            operation.Responses!.TryAdd("304", new OpenApiResponse { Description = "Not Modified: If-None-Match named the current ETag; no body." });
            Add("304", "ETag", Header("The current validator, as on the 200 (RFC 9110).", JsonSchemaType.String));
        }
    }

    static IDictionary<string, OpenApiMediaType> BodyContent(OpenApiOperation operation)
    {
        var requestBody = operation.RequestBody as OpenApiRequestBody ?? new OpenApiRequestBody { Required = true };
        operation.RequestBody = requestBody;
        return requestBody.Content ??= new Dictionary<string, OpenApiMediaType>();
    }

    /// <summary>A record's schema as a shared component (referenced by name, as the generator does for typed parameters); a list as an array of them.</summary>
    static IOpenApiSchema Component(Type type, OpenApiSchema schema, OpenApiDocument? document)
    {
        var element = type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        if (element is not null && schema.Items is OpenApiSchema items)
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = Component(element, items, document), MaxItems = schema.MaxItems };
        }
        if (document is null || schema.Type != JsonSchemaType.Object)
        {
            return schema;
        }
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(type.Name, schema);
        return new OpenApiSchemaReference(type.Name, document);
    }

    /// <summary>A stable id from the method and route: GET api/competitions/{code}/events -> getApiCompetitionsCodeEvents.</summary>
    public static string OperationId(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        // A parameter's constraint ({id:long}, {number:skill}) is not part of the id.
        var unconstrained = System.Text.RegularExpressions.Regex.Replace(path, @"\{([^}:]+):[^}]*\}", "{$1}");
        foreach (var part in unconstrained.Split(['/', '-', '.', '{', '}', '?', '*'], StringSplitOptions.RemoveEmptyEntries))
        {
            id.Append(char.ToUpperInvariant(part[0])).Append(part[1..]);
        }
        return id.ToString();
    }
}
