using System.Threading.RateLimiting;

namespace SkillsHub.Server.Certification;

/// <summary>
/// A budget of disclosure attempts per certificate (docs/security.md, "What is public"): the per-client lookup limit
/// slows one client, but a client with many addresses could still try every ID ending of one holder. Each node allows
/// <c>Certification:Lookup:DisclosuresPerCertificate</c> attempts (default 10) per certificate number per
/// <c>Certification:Lookup:DisclosureWindowMinutes</c> (default 60), right or wrong, counted before the answer is known
/// (so the budget says nothing of whether the number exists). The QR code's token still opens the record when the
/// budget is spent. The search by name and full ID number has the same kind of budget per holder name
/// (<c>Certification:Lookup:SearchesPerHolder</c>, default 10, same window): without it, guesses of one person's ID from
/// many addresses would go on until one hits.
/// </summary>
public sealed class DisclosureGuard(IConfiguration configuration) : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(number =>
        RateLimitPartition.GetFixedWindowLimiter(number, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Certification:Lookup:DisclosuresPerCertificate", 10),
            Window = TimeSpan.FromMinutes(configuration.GetValue("Certification:Lookup:DisclosureWindowMinutes", 60)),
            QueueLimit = 0,
        }));

    readonly PartitionedRateLimiter<string> _holders = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Certification:Lookup:SearchesPerHolder", 10),
            Window = TimeSpan.FromMinutes(configuration.GetValue("Certification:Lookup:DisclosureWindowMinutes", 60)),
            QueueLimit = 0,
        }));

    /// <summary>Takes one search attempt for the holder name (normalised by the caller); false, with the seconds until the next, when none is left.</summary>
    public bool TryHolderAttempt(string nameKey, out int retryAfterSeconds)
    {
        using var lease = _holders.AttemptAcquire(nameKey);
        retryAfterSeconds = lease.IsAcquired ? 0 : Security.RateLimiting.RetryAfterSeconds(lease);
        return lease.IsAcquired;
    }

    /// <summary>Takes one attempt for the (normalised) number; false, with the seconds until the next, when none is left.</summary>
    public bool TryAttempt(string number, out int retryAfterSeconds)
    {
        using var lease = _limiter.AttemptAcquire(number);
        retryAfterSeconds = lease.IsAcquired ? 0 : Security.RateLimiting.RetryAfterSeconds(lease);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _holders.Dispose();
    }
}
