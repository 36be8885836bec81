namespace SkillsHub.Domain.Marking;

/// <summary>When and where a tablet created a mark: its clock's time and the device's own sequence number.</summary>
public readonly record struct MarkStamp(DateTimeOffset? CreatedAt, string Device, long? Sequence)
{
    public static MarkStamp None(string device) => new(null, device, null);
}

/// <summary>
/// Order of an expert's marks (docs/scoring.md, "Order"): a batch the tablet created before a newer one
/// of the same expert for the same aspect never overwrites the newer value. On one device the device's
/// sequence decides; across devices the creation times do. A mark without a stamp (a script, an older
/// client) is taken in arrival order and never counts as older; it is stored as created when it arrived.
/// </summary>
public static class MarkOrder
{
    public static bool IsOlder(MarkStamp incoming, MarkStamp stored)
    {
        if (incoming.Sequence is { } seq && stored.Sequence is { } storedSeq && string.Equals(incoming.Device, stored.Device, StringComparison.Ordinal))
        {
            return seq < storedSeq;
        }

        return incoming.CreatedAt is { } at && stored.CreatedAt is { } storedAt && at < storedAt;
    }
}
