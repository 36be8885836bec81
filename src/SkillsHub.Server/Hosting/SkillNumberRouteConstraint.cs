using System.Globalization;
using SkillsHub.Domain.Marking;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// The <c>{number:skill}</c> route constraint: a skill number as docs/scoring.md ("Limits and identifiers") writes it,
/// <c>7</c> or <c>07</c>, read by the imports' own rule (<see cref="Identifiers.ReadSkillNumber"/>, without the spaces a
/// file's cell may have), from 1 to 99. <c>+7</c>, <c>-7</c>, <c>007</c>, <c>0012</c>, <c>0</c> or <c>100</c> are not skill numbers: such a
/// route answers 400 naming <c>number</c> (Hosting/RouteValueCheck.cs). Found by outside testers: <c>{number:int}</c> took
/// <c>007</c>; <c>/skills/0</c> answered 404 "Unknown skill" and a mark sent there 403.
/// </summary>
public sealed class SkillNumberRouteConstraint : IRouteConstraint
{
    public const string Name = "skill";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { } text
        && text.Trim().Length == text.Length && Identifiers.IsSkillNumber(Identifiers.ReadSkillNumber(text));
}
