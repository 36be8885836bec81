namespace SkillsHub.Domain.Scoring;

public enum Award
{
    None,
    MedallionForExcellence,
    Bronze,
    Silver,
    Gold,
}

/// <summary>A competitor's raw total and scaled score, the input to medals.</summary>
public sealed record ScaledCompetitor(string CompetitorId, decimal Raw, int Scaled);

/// <summary>Place (standard competition ranking over tie groups) and award.</summary>
public sealed record Placing(string CompetitorId, decimal Raw, int Scaled, int Place, Award Award);

public static class AwardRules
{
    /// <summary>
    /// Orders by scaled score, then unrounded raw total, then competitor id (only so the listing is
    /// stable). Tie groups form on the scaled score alone (see <see cref="AwardOptions.TieWindow"/>),
    /// and a group's place is 1 + the number of competitors ahead of it. Gold, silver and bronze go to
    /// places 1, 2 and 3 [C], which gives the 2015 skip rule for free: two golds leave place 2 empty
    /// (no silver); a tied silver leaves place 3 empty (no bronze). Non-medallists at or above the
    /// medallion threshold get a Medallion for Excellence [S].
    /// </summary>
    public static IReadOnlyList<Placing> Assign(IEnumerable<ScaledCompetitor> competitors, AwardOptions? options = null)
    {
        options ??= AwardOptions.Default;
        options.Check();
        var ordered = competitors
            .OrderByDescending(c => c.Scaled)
            .ThenByDescending(c => c.Raw)
            .ThenBy(c => c.CompetitorId, StringComparer.Ordinal)
            .ToArray();

        var placings = new Placing[ordered.Length];
        var place = 0;
        var leaderScaled = int.MinValue;
        for (var i = 0; i < ordered.Length; i++)
        {
            var c = ordered[i];
            if (i == 0 || leaderScaled - c.Scaled > options.TieWindow)
            {
                place = i + 1;
                leaderScaled = c.Scaled;
            }

            var award = place switch
            {
                1 => Award.Gold,
                2 => Award.Silver,
                3 => Award.Bronze,
                _ => c.Scaled >= options.MedallionThreshold ? Award.MedallionForExcellence : Award.None,
            };
            placings[i] = new Placing(c.CompetitorId, c.Raw, c.Scaled, place, award);
        }

        return placings;
    }
}
