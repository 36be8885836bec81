using System.Collections.Concurrent;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Budgets of proof attempts (docs/security.md, "What is public"): the per-client lookup limit slows one client, but a
/// client with many addresses could still try every ID ending of one holder, or every name for one ID number. Each node
/// allows, per <c>Certification:Lookup:DisclosureWindowMinutes</c> (default 60),
/// <c>Certification:Lookup:DisclosuresPerCertificate</c> wrong proofs per certificate number (default 10), and
/// <c>Certification:Lookup:SearchesPerHolder</c> wrong searches per holder name and as many per ID number (default 10);
/// a disclosure that gives a name spends that name's budget too.
/// An attempt takes its permit before the answer is known; one that proves right gives it back, so only wrong proofs
/// spend a budget. A genuine verification therefore leaves no trace an attacker could count (found by an outside tester:
/// the budget left after a holder's own checks told issued numbers and real names from made-up ones), and a budget runs
/// out the same way for a free number as for an issued one. The QR code's token still opens the record when a
/// certificate's budget is spent.
/// </summary>
public sealed class DisclosureGuard(IConfiguration configuration, TimeProvider clock)
{
    static TimeSpan WindowOf(IConfiguration configuration) =>
        TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Certification:Lookup:DisclosureWindowMinutes", 60)));

    readonly AttemptBudget _numbers = new(configuration.GetValue("Certification:Lookup:DisclosuresPerCertificate", 10), WindowOf(configuration), clock);
    readonly AttemptBudget _holders = new(configuration.GetValue("Certification:Lookup:SearchesPerHolder", 10), WindowOf(configuration), clock);

    /// <summary>Takes one attempt for the (normalised) number; false, with the seconds to wait, when its budget is spent.</summary>
    public bool TryAttempt(string number, out int retryAfterSeconds) => Take(_numbers, "n:" + number, out retryAfterSeconds);

    /// <summary>The attempt for the number proved right: its permit is given back.</summary>
    public void Proven(string number) => _numbers.GiveBack("n:" + number);

    /// <summary>
    /// Takes one attempt for the holder name a disclosure gives as its proof (normalised by the caller), from the same
    /// budget per name as the searches: a common name tried against one number after another (a walk of the serials with
    /// "王伟", which some 300,000 people bear) is stopped after as many wrong proofs as one name may spend, whatever the
    /// numbers (found by an outside tester). False, with the seconds to wait, when it is spent.
    /// </summary>
    public bool TryNameAttempt(string nameKey, out int retryAfterSeconds) => Take(_holders, "name:" + nameKey, out retryAfterSeconds);

    /// <summary>The disclosure by this name proved right: its permit is given back.</summary>
    public void NameProven(string nameKey) => _holders.GiveBack("name:" + nameKey);

    /// <summary>
    /// Takes one search attempt for the holder name (normalised by the caller) and one for the ID number; false, with the
    /// seconds to wait, when either budget is spent (then neither is taken).
    /// </summary>
    public bool TryHolderAttempt(string nameKey, string idNumber, out int retryAfterSeconds)
    {
        if (!Take(_holders, "name:" + nameKey, out retryAfterSeconds))
        {
            return false;
        }
        if (!Take(_holders, "id:" + idNumber, out retryAfterSeconds))
        {
            _holders.GiveBack("name:" + nameKey);
            return false;
        }
        return true;
    }

    /// <summary>The search found the holder's certificates: both permits are given back.</summary>
    public void HolderFound(string nameKey, string idNumber)
    {
        _holders.GiveBack("name:" + nameKey);
        _holders.GiveBack("id:" + idNumber);
    }

    static bool Take(AttemptBudget budget, string key, out int retryAfterSeconds)
    {
        // The whole window, whenever it began: the time left would tell when someone first tried this key.
        retryAfterSeconds = (int)budget.Length.TotalSeconds;
        return budget.TryTake(key);
    }

    /// <summary>A fixed window of attempts per key, whose permits an attempt that proves right gives back.</summary>
    sealed class AttemptBudget(int limit, TimeSpan length, TimeProvider clock)
    {
        public TimeSpan Length => length;

        sealed class Window
        {
            public int Used;
            public DateTimeOffset Ends;
        }

        readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
        DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

        public bool TryTake(string key)
        {
            var now = clock.GetUtcNow();
            Sweep(now);
            var window = _windows.GetOrAdd(key, _ => new Window { Ends = now + length });
            lock (window)
            {
                if (now >= window.Ends)
                {
                    window.Used = 0;
                    window.Ends = now + length;
                }
                if (window.Used >= limit)
                {
                    return false;
                }
                window.Used++;
                return true;
            }
        }

        public void GiveBack(string key)
        {
            if (_windows.TryGetValue(key, out var window))
            {
                lock (window)
                {
                    window.Used = Math.Max(0, window.Used - 1);
                }
            }
        }

        /// <summary>Forgets the windows that ended, at most once per window length, so the keys tried do not pile up.</summary>
        void Sweep(DateTimeOffset now)
        {
            lock (_windows)
            {
                if (now < _nextSweep)
                {
                    return;
                }
                _nextSweep = now + length;
            }
            foreach (var (key, window) in _windows)
            {
                if (now >= window.Ends)
                {
                    _windows.TryRemove(KeyValuePair.Create(key, window));
                }
            }
        }
    }
}
