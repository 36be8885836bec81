namespace SkillsHub.Domain.Marking;

/// <summary>
/// When a skill may be frozen (docs/scoring.md, "Visibility"): now, or at a later time, when spectators' standings stop
/// at what they are then. Standings are not kept as they were at past moments, so a freeze cannot reach back: a
/// <c>frozenAt</c> more than <see cref="Tolerance"/> before now would otherwise publish the marks entered since, under
/// a freeze that claims an earlier time.
/// </summary>
public static class FreezeTime
{
    /// <summary>How far a console's clock may lag the server's: a time this close to now counts as now.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The furthest ahead a freeze may be set: a competition's marking runs for days, and a freeze years ahead (9999) left
    /// the jury's console saying "Frozen" while spectators stayed live for good (found by an outside tester).
    /// </summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(60);

    /// <summary>
    /// Why <paramref name="frozenAt"/> cannot go with the mode asked for, or null: a freeze time belongs to a freeze, so
    /// with a mode that does not freeze (Live, Hidden) it is refused rather than dropped without a word (found by an
    /// outside tester); when <paramref name="freezes"/>, the time must be now or later (<see cref="Refusal(DateTimeOffset?, DateTimeOffset)"/>).
    /// </summary>
    public static string? Refusal(bool freezes, DateTimeOffset? frozenAt, DateTimeOffset now) => freezes
        ? Refusal(frozenAt, now)
        : frozenAt is { } at ? $"A freeze time ({at:u}) goes with mode Frozen only: leave frozenAt out to make the skill live or hidden." : null;

    /// <summary>Why <paramref name="frozenAt"/> cannot be the freeze time, or null (null itself means now).</summary>
    public static string? Refusal(DateTimeOffset? frozenAt, DateTimeOffset now) => frozenAt switch
    {
        { } at when at < now - Tolerance =>
            $"A freeze cannot reach back to {at:u}: standings are not kept as of a past moment, and marks entered since are already in them. Freeze now (leave frozenAt out) or at a later time.",
        { } at when at > now + MaxAhead => $"A freeze is set at most {MaxAhead.TotalDays:0} days ahead, not for {at:u}.",
        _ => null,
    };
}
