namespace SkillsHub.Server.Platform;

/// <summary>
/// after/limit paging (docs/certification.md, docs/security.md "Bad input"): a limit outside 1..max, an after below 0 or a before below 1
/// is refused with a 400 naming it, never clamped to something the client did not ask for.
/// </summary>
public static class Paging
{
    /// <param name="before">A newest-first list's cursor (a skill's audit trail): the last id of the previous page, 1 or more.</param>
    public static IEnumerable<(string Field, string Message)> Faults(long? after, int? limit, int maxLimit, long? before = null)
    {
        if (limit is { } l && (l < 1 || l > maxLimit))
        {
            yield return ("limit", $"The limit is 1 to {maxLimit} rows, not {l}.");
        }
        if (after is < 0)
        {
            yield return ("after", $"after is the last id of the previous page (0 or more), not {after}.");
        }
        if (before is < 1)
        {
            yield return ("before", $"before is the last id of the previous page (1 or more), not {before}.");
        }
    }

    /// <summary>
    /// Endpoint metadata: the <c>limit</c> an endpoint takes, 1 to <paramref name="Max"/>, <paramref name="Default"/> when
    /// left out. The OpenAPI document states them on the parameter (Hosting/OpenApiContract.cs; found by an outside tester:
    /// no paged endpoint declared its range), from the same constant the handler checks with.
    /// </summary>
    public sealed record PageLimit(int Max, int? Default = null);

    /// <summary>Declares the endpoint's <c>limit</c> range (<see cref="PageLimit"/>); its handler refuses the rest with <see cref="Faults"/>.</summary>
    public static RouteHandlerBuilder WithPageLimit(this RouteHandlerBuilder builder, int max, int? @default = null) =>
        builder.WithMetadata(new PageLimit(max, @default));

    /// <summary>A 400 naming each out-of-range parameter, or null when both are in range.</summary>
    public static ProblemHttpResult? Refusal(long? after, int? limit, int maxLimit) =>
        Faults(after, limit, maxLimit).ToArray() is { Length: > 0 } faults ? Problems.Validation(faults) : null;
}
