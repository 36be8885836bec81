using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Metadata;

namespace SkillsHub.Server.Platform;

/// <summary>
/// An optional route or query value that does not parse as its parameter's type (<c>?judges=abc</c> for <c>int? judges</c>,
/// <c>?before=x</c> for <c>long? before</c>) is refused naming the parameter, as a required one is (docs/security.md, "Bad
/// input"). The endpoints' binding code is written at build time by ASP.NET Core's request delegate generator
/// (docs/test-speed.md, "Binding code written at build time"), and for an optional value that code answers a bare 400 without
/// throwing (it throws, honouring <c>RouteHandlerOptions.ThrowOnBadRequest</c>, only for a required one). So this check runs
/// just before the endpoint and throws what the runtime binder throws; the exception handler names the field
/// (Hosting/BadRequestFields.cs). It accepts exactly what the generated code accepts: nothing, an empty value, or a value
/// the type's own <c>TryParse</c> reads with the invariant culture.
/// </summary>
public static class OptionalValueCheck
{
    public static IApplicationBuilder UseOptionalValueCheck(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint() is { } endpoint)
        {
            foreach (var check in Checks.GetValue(endpoint, ChecksOf))
            {
                var value = context.Request.RouteValues.TryGetValue(check.Name, out var routeValue) ? routeValue?.ToString() : (string?)context.Request.Query[check.Name];
                if (!string.IsNullOrEmpty(value) && !check.Parses(value))
                {
                    throw new BadHttpRequestException(string.Format(CultureInfo.InvariantCulture, "Failed to bind parameter \"{0} {1}\" from \"{2}\".",
                        check.TypeName, check.Parameter, value));
                }
            }
        }
        return next(context);
    });

    /// <summary>An optional parameter read from the route or the query: its name there, its own name and type, and its parse.</summary>
    sealed record Check(string Name, string Parameter, string TypeName, Func<string, bool> Parses);

    /// <summary>Each endpoint's checks, worked out at its first request (and let go with the endpoint).</summary>
    static readonly ConditionalWeakTable<Endpoint, Check[]> Checks = new();

    static Check[] ChecksOf(Endpoint endpoint) =>
    [
        .. from parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>()
           where parameter is { IsOptional: true, HasTryParse: true }
           let name = SourceName(parameter)
           let parses = Parser(parameter.ParameterInfo.ParameterType)
           where name is not null && parses is not null
           select new Check(name, parameter.Name, TypeName(parameter.ParameterInfo.ParameterType), parses),
    ];

    /// <summary>The route or query name the parameter binds from; null for a header or a form field.</summary>
    static string? SourceName(IParameterBindingMetadata parameter)
    {
        var attributes = parameter.ParameterInfo.GetCustomAttributes(inherit: false);
        if (attributes.Any(a => a is IFromHeaderMetadata or IFromFormMetadata or IFromBodyMetadata or IFromServiceMetadata))
        {
            return null;
        }
        return attributes.OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
            ?? attributes.OfType<IFromRouteMetadata>().FirstOrDefault()?.Name
            ?? parameter.Name;
    }

    static string TypeName(Type type) => Nullable.GetUnderlyingType(type) is { } underlying ? underlying.Name + "?" : type.Name;

    /// <summary>Whether a text reads as <paramref name="type"/> (a nullable's underlying type); null for a type read otherwise.</summary>
    static Func<string, bool>? Parser(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return text => Enum.TryParse(underlying, text, ignoreCase: false, out _);
        }
        if (underlying.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>) && i.GetGenericArguments()[0] == underlying))
        {
            return typeof(OptionalValueCheck).GetMethod(nameof(Parses), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(underlying).CreateDelegate<Func<string, bool>>();
        }
        return null;
    }

    static bool Parses<T>(string text) where T : IParsable<T> => T.TryParse(text, CultureInfo.InvariantCulture, out _);
}
