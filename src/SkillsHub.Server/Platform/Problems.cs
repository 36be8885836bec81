namespace SkillsHub.Server.Platform;

/// <summary>RFC 7807 problem details that always name the field (or aspect, or row) at fault.</summary>
public static class Problems
{
    public static ProblemHttpResult Validation(params (string Field, string Message)[] errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Title = "The request is not valid",
            Detail = string.Join(" ", errors.Select(e => e.Message)),
            Status = StatusCodes.Status400BadRequest,
            Extensions = { ["code"] = "invalid-request" },
        });

    public static ProblemHttpResult Unprocessable(string title, IEnumerable<(string Field, string Message)> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
        {
            Title = title,
            Detail = string.Join(" ", errors.Take(5).Select(e => $"{e.Field}: {e.Message}")),
            Status = StatusCodes.Status422UnprocessableEntity,
        });

    /// <summary>
    /// 413 for a body over a limit: the endpoint's own, or the one Kestrel enforces for the request. Every 413 is this one
    /// answer (title, code, field, limitBytes when known), whichever part of the server refused the body.
    /// </summary>
    public static ProblemHttpResult TooLarge(string field, long? limitBytes)
    {
        var detail = limitBytes is { } bytes
            ? $"The request body is larger than this endpoint's limit of {Size(bytes)}."
            : "The request body is larger than this endpoint accepts; see the API reference for its limit.";
        var extensions = new Dictionary<string, object?> { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } };
        if (limitBytes is not null)
        {
            extensions["limitBytes"] = limitBytes;
        }
        return TypedResults.Problem(title: "Request body too large", detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, extensions: extensions);
    }

    /// <summary>A limit as people write it: 16 KB, 64 MB, 28.6 MB (not "29296 KB"; found by an outside tester).</summary>
    static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024.0).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " KB";

    /// <summary><see cref="TooLarge"/> for the request's body under the limit Kestrel applies to this request.</summary>
    public static ProblemHttpResult BodyTooLarge(HttpContext http) =>
        TooLarge("body", http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize);

    /// <summary>What a write that takes a JSON body and was sent none is told (<see cref="MissingBody"/>).</summary>
    public const string MissingJsonBody = "A JSON body (Content-Type: application/json) is required.";

    /// <summary>
    /// 400 naming body: a write sent without the body it requires, whatever its Content-Type (docs/operations.md, "A write
    /// without its body"). The same answer as ASP.NET's binding gives (Hosting/BadRequestFields.cs); <paramref name="types"/>
    /// are the media types the endpoint takes, JSON alone unless it also takes an import's or a credential's.
    /// </summary>
    public static ProblemHttpResult MissingBody(IReadOnlyCollection<string> types)
    {
        var detail = types.Count <= 1 ? MissingJsonBody : $"A body is required (Content-Type: {string.Join(" or ", types)}).";
        return TypedResults.Problem(title: "Bad request", detail: detail, statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["field"] = "body", ["errors"] = new Dictionary<string, string[]> { ["body"] = [detail] } });
    }

    public static ProblemHttpResult NotFound(string title, string detail, string field) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>404 for a competition code (well formed) that names no competition.</summary>
    public static ProblemHttpResult UnknownCompetition(string code) =>
        NotFound("Unknown competition", $"There is no competition with code '{code.ToUpperInvariant()}'.", "code");

    /// <summary>404 for a skill number the competition does not have.</summary>
    public static ProblemHttpResult UnknownSkill(string code, int number) =>
        NotFound("Unknown skill", $"Competition '{code.ToUpperInvariant()}' has no skill {number}.", "number");

    /// <summary>409: what the request asks is at odds with what is stored. Every one names the field it is about (the route's
    /// id for a state the whole thing is in), as the other refusals do (found by an outside tester: four named none).</summary>
    public static ProblemHttpResult Conflict(string title, string detail, string field, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["field"] = field });
}
