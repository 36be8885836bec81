using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using SkillsHub.Domain.Text;

namespace SkillsHub.Server.Platform;

/// <summary>
/// The input rules (docs/security.md) for every JSON form, applied to the request object and the SkillsHub records
/// inside it (a mark inside a batch, a scope inside an agency): each string property is checked by
/// <see cref="TextInput"/> -- a control or bidi character, or text too long, answers 422 naming the field -- and stored
/// NFC-normalised; a list holding a null entry (<c>"marks": [null]</c>) answers 422 naming the entry. Passwords are
/// left exactly as typed. Imports (CSV/JSON files) apply the text rule per row in their parsers. A property with a
/// lower limit of its own says so with <c>[property: MaxLength(n)]</c> (also the OpenAPI schema's maxLength): the rule
/// checks it, so every too-long value of that field gets the same answer (found by an outside tester: a token name of
/// 101-200 characters got the handler's message, a longer one this rule's "At most 200").
/// </summary>
public sealed class TextInputFilter : IEndpointFilter
{
    const string Title = "Input not accepted";

    static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    static readonly ConcurrentDictionary<PropertyInfo, int?> Limits = new();

    // Free-text explanations may span lines.
    static readonly HashSet<string> Multiline = ["Reason", "Comment", "Description", "Note"];

    /// <summary>
    /// Whether a form's text may span lines: an explanation does, unless it is marked <see cref="OneLineAttribute"/> (a reason
    /// the security audit writes into its one-line detail: found by an outside tester, a tablet's revocation reason with a
    /// line break read there as a forged second entry).
    /// </summary>
    static bool IsMultiline(PropertyInfo property) => Multiline.Contains(property.Name) && !property.IsDefined(typeof(OneLineAttribute), inherit: false);

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
        return errors is null ? await next(context) : Problems.Unprocessable(Title, errors);
    }

    /// <summary>The 422 for what <see cref="Check"/> found.</summary>
    public static ProblemHttpResult Refusal(IEnumerable<(string Field, string Message)> faults) => Problems.Unprocessable(Title, faults);

    /// <summary>Checks (and NFC-normalises in place) one SkillsHub request object and those inside it; the faults by field, or null.</summary>
    public static List<(string Field, string Message)>? Check(object argument)
    {
        List<(string, string)>? errors = null;
        Check(argument, "", 0, ref errors);
        return errors;
    }

    static void Check(object argument, string prefix, int depth, ref List<(string, string)>? errors)
    {
        if (!IsRequestObject(argument.GetType()) || depth > 4)
        {
            return;
        }
        foreach (var property in Properties.GetOrAdd(argument.GetType(), CheckedProperties))
        {
            var field = prefix + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            switch (property.GetValue(argument))
            {
                case string value:
                    CheckText(argument, property, value, field, ref errors);
                    break;
                case IEnumerable items and not IDictionary:
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is null)
                        {
                            (errors ??= []).Add(($"{field}[{index}]", "An entry of this list is null: leave it out or fill it in."));
                        }
                        else
                        {
                            Check(item, $"{field}[{index}].", depth + 1, ref errors);
                        }
                        index++;
                    }
                    break;
                case { } nested:
                    Check(nested, field + ".", depth + 1, ref errors);
                    break;
            }
        }
    }

    static void CheckText(object argument, PropertyInfo property, string value, string field, ref List<(string, string)>? errors)
    {
        if (property.Name.Contains("Password", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var limit = Limits.GetOrAdd(property, p => p.GetCustomAttribute<System.ComponentModel.DataAnnotations.MaxLengthAttribute>()?.Length);
        var multiline = IsMultiline(property);
        // A form's reason, comment or note takes line breaks, not tabs (docs/security.md, "Files and text").
        if (TextInput.Check(value, multiline, limit, tabs: false) is { } fault)
        {
            (errors ??= []).Add((field, fault));
            return;
        }
        // Kept as one text however it was typed: NFC, and a free text's line breaks as LF, as a file's are (found by an
        // outside tester: a status reason sent with CRLF was stored with it).
        var normal = (multiline ? TextInput.LineBreaksAsLf(value) : value).Normalize(NormalizationForm.FormC);
        if (property.CanWrite && !string.Equals(normal, value, StringComparison.Ordinal))
        {
            property.SetValue(argument, normal);
        }
    }

    /// <summary>
    /// The most characters the rule takes in a string property of a JSON form (a SkillsHub record named …Request, or one
    /// it holds): 200, a free text's 4,000, or the property's own lower MaxLength; null for a password (left as typed) and
    /// for any other property. The OpenAPI document states it as maxLength (Hosting/OpenApiContract.Values.cs; found by an
    /// outside tester: only the lower limits were stated, so a generated client could not check a name's 200).
    /// </summary>
    public static int? FormLimit(PropertyInfo property)
    {
        if (property.PropertyType != typeof(string) || property.DeclaringType is not { } declaring || !FormTypes.Value.Contains(declaring)
            || property.Name.Contains("Password", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var most = IsMultiline(property) ? TextInput.MaxMultilineLength : TextInput.MaxLength;
        return Math.Min(most, property.GetCustomAttribute<System.ComponentModel.DataAnnotations.MaxLengthAttribute>()?.Length ?? most);
    }

    /// <summary>The JSON forms' records (the server's …Request records) and the records they hold.</summary>
    static readonly Lazy<HashSet<Type>> FormTypes = new(() =>
    {
        var found = new HashSet<Type>();
        var pending = new Stack<Type>(typeof(TextInputFilter).Assembly.GetTypes().Where(t => t.Name.EndsWith("Request", StringComparison.Ordinal) && IsRequestObject(t)));
        while (pending.TryPop(out var type))
        {
            if (!found.Add(type))
            {
                continue;
            }
            foreach (var held in CheckedProperties(type).Select(p => p.PropertyType).SelectMany(t => t.IsGenericType ? t.GetGenericArguments() : t.IsArray ? [t.GetElementType()!] : [t]))
            {
                if (IsRequestObject(held))
                {
                    pending.Push(held);
                }
            }
        }
        return found;
    });

    /// <summary>
    /// SkillsHub's own records: the request bodies and what they hold. Not the services a handler also takes (classes),
    /// nor strings, collections or framework types.
    /// </summary>
    static bool IsRequestObject(Type type) =>
        type is { IsClass: true, Namespace: { } ns } && ns.StartsWith("SkillsHub", StringComparison.Ordinal) && type.GetMethod("<Clone>$") is not null;

    static PropertyInfo[] CheckedProperties(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 &&
            (p.PropertyType == typeof(string) || IsRequestObject(p.PropertyType) ||
             (typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && !typeof(IDictionary).IsAssignableFrom(p.PropertyType))))
        .ToArray();
}

/// <summary>A free-text explanation held to one line (<see cref="TextInputFilter"/>): a tablet's revocation or an account's disabling reason.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneLineAttribute : Attribute;
