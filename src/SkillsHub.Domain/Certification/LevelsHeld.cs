namespace SkillsHub.Domain.Certification;

/// <summary>Where a record of a level held in an occupation comes from (docs/certification.md, "Levels held").</summary>
public enum LevelSource
{
    /// <summary>Declared in a session's candidates file (<c>held_level</c> with its required <c>held_since</c>).</summary>
    Declared,

    /// <summary>A certificate, from an evaluation or a promotion: dated by its issue, with its status.</summary>
    Certificate,

    /// <summary>A special-grade or chief technician appointment, dated by <c>appointedOn</c>.</summary>
    Appointment,
}

/// <summary>A certificate's status. Declared levels and appointments have none and are <see cref="Valid"/>.</summary>
public enum CertificateStatus
{
    Valid,

    /// <summary>Not valid while suspended; it may be reinstated.</summary>
    Suspended,

    /// <summary>Final: the certificate no longer proves the level.</summary>
    Revoked,
}

/// <summary>One record of a level held: the level, the date it is held from, where it comes from and (a certificate) its status.</summary>
public sealed record LevelRecord(SkillLevel Level, DateOnly Since, LevelSource Source, CertificateStatus Status = CertificateStatus.Valid);

/// <summary>
/// Which levels count on a date (docs/certification.md, "Levels held"): only those held on it. A declared level or an
/// appointment dated on or before it; a certificate issued on or before it and in force now (neither revoked nor
/// suspended). Found by an outside tester: the rating counted a declared level dated after the exam, a Level 4 held only
/// through a revoked certificate, and one issued after the exam.
/// </summary>
public static class LevelsHeld
{
    /// <summary>Whether this record gives its level on <paramref name="date"/>.</summary>
    public static bool HeldOn(this LevelRecord record, DateOnly date) =>
        record.Since <= date && record.Status == CertificateStatus.Valid;

    /// <summary>The levels held on <paramref name="date"/>, each since the earliest date a record that counts gives it.</summary>
    public static IReadOnlyDictionary<SkillLevel, DateOnly> On(IEnumerable<LevelRecord> records, DateOnly date) =>
        records.Where(r => r.HeldOn(date)).GroupBy(r => r.Level).ToDictionary(g => g.Key, g => g.Min(r => r.Since));

    /// <summary>The highest level held on <paramref name="date"/>, or null when none is.</summary>
    public static SkillLevel? Highest(IEnumerable<LevelRecord> records, DateOnly date) =>
        records.Where(r => r.HeldOn(date)).Select(r => (SkillLevel?)r.Level).Max();

    /// <summary>A stored certificate status ("valid", "suspended", "revoked").</summary>
    public static CertificateStatus ParseStatus(string status) => status switch
    {
        "valid" => CertificateStatus.Valid,
        "suspended" => CertificateStatus.Suspended,
        "revoked" => CertificateStatus.Revoked,
        _ => throw new FormatException($"'{status}' is not a certificate status (valid, suspended, revoked)."),
    };
}
