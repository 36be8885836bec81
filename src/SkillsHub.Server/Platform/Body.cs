using System.Text.Json;

namespace SkillsHub.Server.Platform;

/// <summary>
/// Reads request bodies ourselves so malformed JSON becomes a 400 problem that names the field
/// (System.Text.Json's path, e.g. "$.marks[0].score"), never a 500 and never half-stored data.
/// </summary>
public static partial class Body
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A trailing comma is not JSON, and the bodies ASP.NET binds refuse it: so do these (found by an outside tester: a mark
        // sent as {"marks":[...],} was stored).
        AllowTrailingCommas = false,
        // A key given twice ({"competitorId":"A","competitorId":"B"}) is ambiguous: refused, not "the last one wins".
        AllowDuplicateProperties = false,
        // The contract says number: "2" is not a score (the web defaults would read numbers from strings).
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        // A number with more digits than a decimal holds is refused, not rounded (docs/security.md, "Numbers").
        // An instant without its offset is refused, not read in the server's zone (Platform/InstantWithOffset.cs).
        Converters = { new EnumNames(), new Domain.Text.ExactDecimal.Converter(), new InstantWithOffset() },
    };

    /// <summary>
    /// The same, refusing a property the body's objects do not have: for bodies where a misspelt key would silently mean the
    /// default (a promotion rule: <c>{"minimumAwards": "Gold"}</c> read as the national rule; found by an outside tester).
    /// </summary>
    static readonly JsonSerializerOptions StrictOptions = new(Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadJsonAsync<T>(HttpRequest request, bool strict = false) where T : class
    {
        if (!request.HasJsonContentType())
        {
            // As ASP.NET answers for the bodies it binds itself (its field and detail come from ProblemCodes.Apply): a
            // form, XML or text is not read as JSON.
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, strict ? StrictOptions : Options, request.HttpContext.RequestAborted);
            if (value is null)
            {
                return (null, Problems.Validation(("body", "The request body is empty.")));
            }
            // The input rules (docs/security.md): no control or bidi characters, NFC, lengths, no null entries.
            return TextInputFilter.Check(value) is { } faults ? (null, TextInputFilter.Refusal(faults)) : (value, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.BodyTooLarge(request.HttpContext));
        }
        catch (JsonException e)
        {
            // A property's name from the body is quoted back short and visible (found by an outside tester: a 4 MB name came
            // back whole, U+202E, ESC and NUL with it).
            var field = Domain.Text.TextInput.Quoted(FieldOf(e), 80);
            // Well-formed JSON that leaves out a required property, or gives a value of another type, is said as such (an
            // outside tester: a band without its level read "not valid JSON").
            var (title, detail, message) = MissingProperty(e) is not null
                ? ("A required property is missing", $"{field} is required.", Describe(e))
                : IsUnknownProperty(e)
                    ? ("Unknown property", $"{field} is not a property this body takes (see the API reference).", Describe(e))
                : IsWrongType(e)
                    ? ("A value is not of the type its field takes", $"{field} is not of the type it takes (see the API reference).", Describe(e))
                : e is Domain.Text.ExactDecimal.TooManyDigits
                    // Well-formed too (an outside tester: 1e-30 as a deviation read "not valid JSON").
                    ? ("A number has more digits than its field holds", $"{field} has more digits than it holds; it would be rounded.", Describe(e))
                : e is Domain.Text.ExactDecimal.OutOfRange
                    ? ("A number is out of range", $"{field} is beyond the largest number it holds.", Describe(e))
                    : ("The request body is not valid JSON", $"Malformed JSON at {field}.", $"Malformed JSON at {e.Path ?? "$"} (line {e.LineNumber + 1}): {Describe(e)}");
            message = Domain.Text.TextInput.Quoted(message, 300);
            return (null, TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Title = title,
                Detail = detail,
                Status = StatusCodes.Status400BadRequest,
            }));
        }
    }

    /// <summary>
    /// An uploaded file's text, or the line of its first byte that is not UTF-8 (<see cref="Domain.Text.Utf8Text"/>):
    /// a lenient reader would store U+FFFD in place of a Latin-1 "é".
    /// </summary>
    public static async Task<(string? Text, Abstractions.RowError? Fault)> ReadTextAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var (text, line, fault) = Domain.Text.Utf8Text.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        return fault is null ? (text, null) : (null, new Abstractions.RowError((int)line, "encoding", fault));
    }

    public static bool IsCsv(HttpRequest request) =>
        request.ContentType is { } type && (type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The field a JSON error names: its path without the leading "$.", or "body". A required property left out
    /// (<c>[JsonRequired]</c>) is named itself, under the object that lacks it (<c>rule.bands[0].level</c>), not the object.
    /// </summary>
    public static string FieldOf(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
        return MissingProperty(e) is { } name ? path == "body" ? name : $"{path}.{name}" : path;
    }

    /// <summary>The first required property System.Text.Json found missing, by its JSON name, or null.</summary>
    static string? MissingProperty(JsonException e) => MissingRequired().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex MissingRequired();

    /// <summary>What is wrong, in System.Text.Json's words, without the .NET types it names (they are internal details).</summary>
    public static string Describe(JsonException e)
    {
        var sentence = FirstSentence(e.Message);
        // Our own converters' refusals say what the field takes (an outside tester found the generic sentence unhelpful
        // for an instant without its offset).
        if (e is EnumNames.NotAName or InstantWithOffset.NotAnInstant)
        {
            return sentence;
        }
        if (IsWrongType(e))
        {
            return "The value is not of the type this field takes (see the API reference).";
        }
        if (IsDuplicate(e))
        {
            return "This property is given twice.";
        }
        if (MissingProperty(e) is not null)
        {
            return "This property is required.";
        }
        if (IsUnknownProperty(e))
        {
            return "This object has no such property: check its spelling.";
        }
        return DotNetTypeName().Replace(sentence, "the request");
    }

    /// <summary>
    /// True when the JSON is well formed but a value is of another type than its field's: System.Text.Json's own refusal,
    /// or a number or unknown name where an enum's name goes (an outside tester: <c>"level": 3</c> read "not valid JSON").
    /// </summary>
    static bool IsWrongType(JsonException e) =>
        e is EnumNames.NotAName or InstantWithOffset.NotAnInstant || FirstSentence(e.Message).Contains("could not be converted to", StringComparison.Ordinal);

    /// <summary>True when a strict read refused a property its object does not have.</summary>
    static bool IsUnknownProperty(JsonException e) => FirstSentence(e.Message).Contains("could not be mapped to any .NET member", StringComparison.Ordinal);

    /// <summary>True when System.Text.Json refused a property given twice (<c>AllowDuplicateProperties = false</c>).</summary>
    public static bool IsDuplicate(JsonException e) => FirstSentence(e.Message).StartsWith("Duplicate property", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:System|Microsoft|SkillsHub)(?:\.[A-Za-z0-9_`]+)+(?:\[[^\]]*\])?")]
    private static partial System.Text.RegularExpressions.Regex DotNetTypeName();

    static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
