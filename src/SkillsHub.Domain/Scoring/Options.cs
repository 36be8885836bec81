namespace SkillsHub.Domain.Scoring;

/// <summary>Everything configurable about scoring one skill. Defaults follow docs/scoring.md.</summary>
public sealed record ScoringOptions
{
    public static readonly ScoringOptions Default = new();

    /// <summary>
    /// Judges per judgement group: 3 [C]; 5 is allowed as SkillsHub's configurable option [P],
    /// not a WorldSkills rule.
    /// </summary>
    public int Judges { get; init; } = JudgementSet.DefaultJudges;

    public ScaleOptions Scale { get; init; } = ScaleOptions.Default;

    public AwardOptions Awards { get; init; } = AwardOptions.Default;

    /// <summary>The sizes a judgement group may have.</summary>
    public static readonly IReadOnlyList<int> JudgeCounts = [3, 5];

    internal static void CheckJudges(int judges)
    {
        if (!JudgeCounts.Contains(judges))
        {
            throw new ArgumentOutOfRangeException(nameof(judges), judges, "A judgement group has 3 or 5 judges.");
        }
    }
}

/// <summary>How the spread term <c>s</c> of the standard scale is estimated.</summary>
public enum SpreadEstimator
{
    /// <summary>Sample standard deviation (n - 1) of the skill's raw totals. [P] SkillsHub default.</summary>
    SampleStandardDeviation,

    /// <summary>1.4826 x median absolute deviation: robust to one outlier. [P] SkillsHub option.</summary>
    ScaledMedianAbsoluteDeviation,
}

/// <summary>
/// The standard scale <c>700 + K x (raw - median) / s</c>. Only "the median sits at 700" is
/// WorldSkills' [S]; K, the spread estimator and the clamp are SkillsHub's configurable defaults [P],
/// because WorldSkills does not publish its spread term.
/// </summary>
public sealed record ScaleOptions
{
    public static readonly ScaleOptions Default = new();

    /// <summary>[P] Points per spread unit; SkillsHub default 100. Must be positive.</summary>
    public decimal K { get; init; } = 100m;

    /// <summary>[P] SkillsHub default: sample standard deviation.</summary>
    public SpreadEstimator SpreadEstimator { get; init; } = SpreadEstimator.SampleStandardDeviation;

    /// <summary>[P] Lowest scaled score; SkillsHub default 0.</summary>
    public int Min { get; init; }

    /// <summary>[P] Highest scaled score; SkillsHub default 1000.</summary>
    public int Max { get; init; } = 1000;

    internal void Check()
    {
        if (K <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, "K must be positive, or a higher raw total could get a lower scaled score.");
        }

        if (Min > Max)
        {
            throw new ArgumentOutOfRangeException(nameof(Min), Min, "Min must not exceed Max.");
        }
    }
}

/// <summary>Medal and medallion policy.</summary>
public sealed record AwardOptions
{
    public static readonly AwardOptions Default = new();

    /// <summary>
    /// [P] SkillsHub's configurable default: competitors whose rounded scaled scores are at most this
    /// many points below their tie group's leader share a place (and a medal). 0 = equal scaled score,
    /// i.e. standard competition ranking (1, 1, 3). WorldSkills says ties share a medal [C] but does not
    /// publish the window.
    /// </summary>
    public int TieWindow { get; init; }

    /// <summary>Medallion for Excellence: non-medallists at or above this scaled score. 700 [S]; configurable [P].</summary>
    public int MedallionThreshold { get; init; } = 700;

    internal void Check()
    {
        if (TieWindow < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TieWindow), TieWindow, "The tie window cannot be negative.");
        }
    }
}
