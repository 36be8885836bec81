namespace SkillsHub.Domain.Certification;

/// <summary>
/// How long a certificate is valid (docs/credentials.md, "The credential"): when the occupation sets
/// a validity in years, the certificate ends that many years after issue; otherwise it never expires
/// (the national default). Expiry is computed, never stored, so it needs no job; a revoked or
/// suspended certificate keeps that status whatever its age.
/// </summary>
public static class CertificateValidity
{
    /// <summary>The last day of validity by issue date; null when the occupation sets no validity.</summary>
    public static DateOnly? ValidUntil(DateOnly issuedOn, int? validityYears) =>
        validityYears is { } years ? issuedOn.AddYears(years) : null;

    /// <summary>The instant validity ends: the same instant <paramref name="validityYears"/> after issue.</summary>
    public static DateTimeOffset? ValidUntil(DateTimeOffset issuedAt, int? validityYears) =>
        validityYears is { } years ? issuedAt.AddYears(years) : null;

    /// <summary>
    /// The status shown for a stored status on <paramref name="today"/>: "expired" for a valid
    /// certificate past its last day; revocation and suspension win over expiry.
    /// </summary>
    public static string Status(string stored, DateOnly? validUntil, DateOnly today) =>
        stored == "valid" && validUntil < today ? "expired" : stored;

    /// <summary><see cref="Status(string, DateOnly?, DateOnly)"/> on the clock's current UTC day.</summary>
    public static string Status(string stored, DateOnly? validUntil, TimeProvider clock) =>
        Status(stored, validUntil, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
}
