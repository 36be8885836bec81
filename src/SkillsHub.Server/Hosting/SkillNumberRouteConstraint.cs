using System.Globalization;
using SkillsHub.Domain.Marking;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The <c>{number:skill}</c> route constraint: a skill number as docs/scoring.md ("Limits and identifiers") writes it,
/// <c>7</c> or <c>07</c>, read by the imports' own rule (<see cref="Identifiers.ReadSkillNumber"/>, without the spaces a
/// file's cell may have, nor its minus sign). <c>+7</c>, <c>-7</c>, <c>007</c> or <c>0012</c> are not skill numbers: such a route answers 400 naming
/// <c>number</c> (Hosting/RouteValueCheck.cs). Found by an outside tester: <c>{number:int}</c> took <c>007</c>.
/// </summary>
public sealed class SkillNumberRouteConstraint : IRouteConstraint
{
    public const string Name = "skill";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { } text
        && text.Trim().Length == text.Length && Identifiers.ReadSkillNumber(text) is >= 0;
}
