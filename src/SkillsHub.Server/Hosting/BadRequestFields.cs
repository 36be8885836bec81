using System.Text.Json;
using System.Text.RegularExpressions;
using SkillsHub.Server.Platform;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The field a refused request names (docs/security.md, "Bad input"): a body that is not the JSON its endpoint takes
/// names the JSON path (<c>roles[0]</c>); a route or query value that does not bind names its parameter
/// (<c>judges</c>); anything else names the body.
/// </summary>
public static partial class BadRequestFields
{
    public static (string Field, string Detail) Of(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = Body.FieldOf(json);
            return (path, $"The body is not what this endpoint takes at {path}: {Body.Describe(json)}");
        }
        // A body the endpoint binds was not sent: that is the body, not the handler's parameter name.
        if (bad.Message.Contains("no body was provided", StringComparison.Ordinal) || bad.Message.EndsWith("from body.", StringComparison.Ordinal))
        {
            return ("body", Problems.MissingJsonBody);
        }
        // ASP.NET Core names the parameter in its message (Failed to bind parameter "Nullable<int> judges" from "abc".),
        // with its .NET type: the answer names the parameter only.
        var parameter = Parameter().Match(bad.Message);
        if (!parameter.Success)
        {
            return ("body", "The request could not be read as this endpoint takes it (see the API reference).");
        }
        var name = parameter.Groups["name"].Value;
        return (name, bad.Message.StartsWith("Required", StringComparison.Ordinal)
            ? $"{name} is required."
            : $"The value given for {name} is not valid (see the API reference for what it takes).");
    }

    [GeneratedRegex("parameter \"(?:[^\"]*\\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex Parameter();
}
