using System.Collections.Concurrent;
using System.Reflection;
using SkillsHub.Domain.Text;

namespace SkillsHub.Server.Platform;

/// <summary>
/// The text rule (docs/security.md; <see cref="TextInput"/>) for every JSON form: each string
/// property of a request body is checked -- a control or bidi character answers 422 naming the
/// field -- and stored NFC-normalised. Passwords are left exactly as typed. Imports (CSV/JSON files)
/// apply the same rule per row in their parsers.
/// </summary>
public sealed class TextInputFilter : IEndpointFilter
{
    static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    // Free-text explanations may span lines.
    static readonly HashSet<string> Multiline = ["Reason", "Comment", "Description", "Note"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        List<(string, string)>? errors = null;
        foreach (var argument in context.Arguments)
        {
            if (argument is not null && Check(argument) is { } faults)
            {
                (errors ??= []).AddRange(faults);
            }
        }
        return errors is null ? await next(context) : Problems.Unprocessable("Text not accepted", errors);
    }

    /// <summary>Checks (and NFC-normalises in place) the string properties of one SkillsHub request object; the faults by field, or null.</summary>
    public static List<(string Field, string Message)>? Check(object argument)
    {
        if (argument is string || argument.GetType() is not { IsClass: true, Namespace: { } ns } type || !ns.StartsWith("SkillsHub", StringComparison.Ordinal))
        {
            return null;
        }
        List<(string, string)>? errors = null;
        foreach (var property in Properties.GetOrAdd(type, StringProperties))
        {
            if (property.GetValue(argument) is not string value)
            {
                continue;
            }
            if (TextInput.Check(value, Multiline.Contains(property.Name)) is { } fault)
            {
                (errors ??= []).Add((char.ToLowerInvariant(property.Name[0]) + property.Name[1..], fault));
            }
            else if (property.CanWrite && !value.IsNormalized(NormalizationForm.FormC))
            {
                property.SetValue(argument, value.Normalize(NormalizationForm.FormC));
            }
        }
        return errors;
    }

    static PropertyInfo[] StringProperties(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(string) && p.CanRead && p.GetIndexParameters().Length == 0 &&
            !p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase))
        .ToArray();
}
