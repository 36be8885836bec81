namespace SkillsHub.Domain.Scoring;

/// <summary>One competitor's line in a skill's results.</summary>
public sealed record CompetitorResult(
    Competitor Competitor,
    decimal Raw,
    int Scaled,
    int Place,
    Award Award,
    CompetitorTotals? Totals)
{
    public decimal RawDisplay => Marks.RoundForDisplay(Raw);

    public bool IsMedallist => Award is Award.Gold or Award.Silver or Award.Bronze;
}

/// <summary>A skill's standings, best first, with the scale it used.</summary>
public sealed record SkillResult(string SkillKey, ScaleParameters Scale, IReadOnlyList<CompetitorResult> Standings)
{
    /// <summary>
    /// True once some competitor's raw total is above 0. Before, everyone is tied at 700 with nothing decided, and the
    /// skill gives no award: no medal, no Best of Nation, no Albert Vidal Award, no leader (docs/scoring.md, "Results").
    /// Decided on the exact totals; set from outside when the totals given are rounded for display (the standings a grain
    /// publishes carry it as <c>Standings.Decided</c>).
    /// </summary>
    public bool Decided { get; init; } = IsDecided(Standings.Select(r => r.Raw));

    /// <summary><see cref="Decided"/> for raw totals held elsewhere (a skill's standings as the grains keep them).</summary>
    public static bool IsDecided(IEnumerable<decimal> rawTotals) => rawTotals.Any(raw => raw > 0m);
}

/// <summary>A competitor's raw total, for callers (grains) that keep totals themselves.</summary>
public sealed record CompetitorRaw(Competitor Competitor, decimal Raw, CompetitorTotals? Totals = null);

public static class SkillResults
{
    /// <summary>
    /// Marks -> totals -> scaled -> places and awards for one skill. Competitors without a sheet
    /// score 0. The result does not depend on the order of <paramref name="competitors"/> or
    /// <paramref name="sheets"/>.
    /// </summary>
    public static SkillResult Compute(
        string skillKey,
        MarkingScheme scheme,
        IReadOnlyList<Competitor> competitors,
        IReadOnlyList<MarkSheet> sheets,
        ScoringOptions? options = null)
    {
        options ??= ScoringOptions.Default;
        var sheetById = new Dictionary<string, MarkSheet>(sheets.Count, StringComparer.Ordinal);
        foreach (var sheet in sheets)
        {
            if (!sheetById.TryAdd(sheet.CompetitorId, sheet))
            {
                throw new ArgumentException($"Two mark sheets for competitor '{sheet.CompetitorId}'.", nameof(sheets));
            }
        }

        var shape = SchemeShape.Of(scheme);
        var entries = new CompetitorRaw[competitors.Count];
        for (var i = 0; i < competitors.Count; i++)
        {
            var competitor = competitors[i];
            var sheet = sheetById.GetValueOrDefault(competitor.Id) ?? MarkSheet.Empty(competitor.Id);
            var totals = CompetitorTotalsCalculator.Compute(scheme, shape, sheet, options.Judges);
            entries[i] = new CompetitorRaw(competitor, totals.Raw, totals);
        }

        return Rank(skillKey, entries, options);
    }

    /// <summary>
    /// Scaled scores, places and awards from raw totals already computed. Until some competitor's raw total is above 0 (no
    /// mark yet, or only marks worth nothing) the standings give no award: everyone, tied at 700, would otherwise hold gold
    /// for nothing decided (docs/scoring.md, "Results").
    /// </summary>
    public static SkillResult Rank(string skillKey, IReadOnlyList<CompetitorRaw> entries, ScoringOptions? options = null)
    {
        options ??= ScoringOptions.Default;
        var byId = new Dictionary<string, CompetitorRaw>(entries.Count, StringComparer.Ordinal);
        var raws = new decimal[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            if (!byId.TryAdd(entries[i].Competitor.Id, entries[i]))
            {
                throw new ArgumentException($"Competitor '{entries[i].Competitor.Id}' is listed twice.", nameof(entries));
            }

            raws[i] = entries[i].Raw;
        }

        var decided = raws.Any(r => r > 0m);
        var parameters = StandardScale.Parameters(raws, options.Scale);
        var scaled = new ScaledCompetitor[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            scaled[i] = new ScaledCompetitor(entries[i].Competitor.Id, raws[i], StandardScale.Scale(raws[i], parameters, options.Scale));
        }

        var placings = AwardRules.Assign(scaled, options.Awards);
        var standings = new CompetitorResult[placings.Count];
        for (var i = 0; i < placings.Count; i++)
        {
            var p = placings[i];
            var entry = byId[p.CompetitorId];
            standings[i] = new CompetitorResult(entry.Competitor, p.Raw, p.Scaled, p.Place, decided ? p.Award : Award.None, entry.Totals);
        }

        return new SkillResult(skillKey, parameters, standings);
    }
}
