namespace SkillsHub.Domain.Certification;

/// <summary>
/// How long a certificate is valid (docs/credentials.md, "The credential"): when the occupation sets
/// a validity in years, the certificate ends that many years after issue; otherwise it never expires
/// (the national default). Expiry is computed, never stored, so it needs no job; a revoked or
/// suspended certificate keeps that status whatever its age. Days are China's (UTC+8), as every date rule of
/// certification: a certificate is valid through its last day, and the registry, the verify page and the signed
/// credential all end it at the same instant, the end of that day in China (found by an outside tester: the registry
/// read the UTC day and the credential ended at the time of day, eight hours apart).
/// </summary>
public static class CertificateValidity
{
    /// <summary>China's offset from UTC; it keeps no daylight saving time.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The day it is in China at <paramref name="instant"/>.</summary>
    public static DateOnly DayInChina(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaOffset).DateTime);

    /// <summary>The day it is in China on the clock.</summary>
    public static DateOnly TodayInChina(TimeProvider clock) => DayInChina(clock.GetUtcNow());

    /// <summary>The last day of validity by issue date; null when the occupation sets no validity.</summary>
    public static DateOnly? ValidUntil(DateOnly issuedOn, int? validityYears) =>
        validityYears is { } years ? issuedOn.AddYears(years) : null;

    /// <summary>The instant validity ends: the end of its last day in China (00:00 UTC+8 of the day after), or null.</summary>
    public static DateTimeOffset? EndsAt(DateOnly? validUntil) =>
        validUntil is { } last ? new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaOffset) : null;

    /// <summary>
    /// The last day an instant of validity's end leaves valid, in China: the inverse of <see cref="EndsAt"/> (the day before
    /// a day's start), and for an end at another time of day (a credential signed before validity ended at a day's end),
    /// its own day.
    /// </summary>
    public static DateOnly LastDay(DateTimeOffset endsAt) =>
        endsAt.ToOffset(ChinaOffset).TimeOfDay == TimeSpan.Zero ? DayInChina(endsAt).AddDays(-1) : DayInChina(endsAt);

    /// <summary>
    /// The status shown for a stored status on <paramref name="today"/>: "expired" for a valid
    /// certificate past its last day; revocation and suspension win over expiry.
    /// </summary>
    public static string Status(string stored, DateOnly? validUntil, DateOnly today) =>
        stored == "valid" && validUntil < today ? "expired" : stored;

    /// <summary><see cref="Status(string, DateOnly?, DateOnly)"/> on the clock's current day in China.</summary>
    public static string Status(string stored, DateOnly? validUntil, TimeProvider clock) =>
        Status(stored, validUntil, TodayInChina(clock));
}
