namespace SkillsHub.Domain.Marking;

/// <summary>When and where a tablet created a mark: its clock's time and the device's own sequence number.</summary>
public readonly record struct MarkStamp(DateTimeOffset? CreatedAt, string Device, long? Sequence)
{
    public static MarkStamp None(string device) => new(null, device, null);
}

/// <summary>
/// Order of marks (docs/scoring.md, "Order"): a batch the tablet created before a newer entry it would replace never
/// overwrites it. A judge's score replaces only that judge's own score for the aspect (each judge has one); a
/// measurement replaces the aspect's one value, whoever entered it, so it must be newer than every measurement entry of
/// the aspect. On one device the device's sequence decides; across devices the creation times do. A mark without a
/// stamp (a script, an older client) is taken in arrival order and never counts as older; it is stored as created
/// when it arrived.
/// </summary>
public static class MarkOrder
{
    /// <summary>
    /// How far ahead of the server's clock a batch's stamp may be: a tablet's clock a little fast is taken as it is; a stamp
    /// further ahead would outrank every later correction of the aspect until the clock caught up, so the batch is refused
    /// (and audited as refused) and the tablet's clock must be set right (docs/scoring.md, "Order").
    /// </summary>
    public static readonly TimeSpan MaxClockLead = TimeSpan.FromMinutes(5);

    /// <summary>Whether a batch stamped <paramref name="createdAt"/> is too far ahead of <paramref name="now"/>; an unstamped batch never is.</summary>
    public static bool IsAhead(DateTimeOffset? createdAt, DateTimeOffset now) => createdAt is { } at && at > now + MaxClockLead;

    /// <summary>
    /// The time a batch is ordered by across devices: its stamp, but never later than its arrival (<paramref name="now"/>).
    /// Nothing is created after it arrives, so a stamp ahead of the server's clock (a fast tablet, within
    /// <see cref="MaxClockLead"/>) counts as created when it arrived. Found by an outside tester: an expert whose batches
    /// were stamped 4 min 59 s ahead outranked every colleague's later correction of a measurement. An unstamped batch
    /// stays unstamped here (it is taken in arrival order).
    /// </summary>
    public static DateTimeOffset? OrderedAt(DateTimeOffset? createdAt, DateTimeOffset now) => createdAt is { } at && at > now ? now : createdAt;

    /// <summary>
    /// Whether an incoming mark is stale: a score against <paramref name="ownScore"/> (the same judge's stored score), a
    /// measurement against <paramref name="measurements"/> (the aspect's stored measurement entries, by any expert).
    /// Found by an outside tester: an expert's measurement queued offline, created before another expert's correction,
    /// arrived after it and undid it.
    /// </summary>
    public static bool IsStale(MarkStamp incoming, bool isMeasurement, MarkStamp? ownScore, IEnumerable<MarkStamp> measurements) =>
        isMeasurement ? measurements.Any(stored => IsOlder(incoming, stored)) : ownScore is { } own && IsOlder(incoming, own);

    public static bool IsOlder(MarkStamp incoming, MarkStamp stored)
    {
        if (incoming.Sequence is { } seq && stored.Sequence is { } storedSeq && string.Equals(incoming.Device, stored.Device, StringComparison.Ordinal))
        {
            return seq < storedSeq;
        }

        return incoming.CreatedAt is { } at && stored.CreatedAt is { } storedAt && at < storedAt;
    }
}
