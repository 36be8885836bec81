using SkillsHub.Abstractions;
using SkillsHub.Server.Competitions;
using SkillsHub.Domain.Scoring;
using SkillsHub.Domain.Scoring.Import;

namespace SkillsHub.Server.Seeding;

/// <summary>
/// The embedded default's first run: a generated, clearly labelled demo for three Lyon 2024 skills
/// (07 CNC Milling, 06 CNC Turning, 35 Restaurant Service) with competitors from real members, experts,
/// the sample marking schemes, marking groups, and marks partly entered, so the boards show meaningful
/// standings at once. Nothing here is real competition data. Runs once: a skill that already has a
/// marking scheme is left alone. The certification side (a demo agency, officer and issued session) is
/// <see cref="DemoAgencySeeder"/>'s.
/// </summary>
public sealed class DemoSeeder(IGrainFactory grains, CompetitionStore competitions, IConfiguration configuration, SkillsHub.Storage.DatabaseLocation database, DemoAgencySeeder agencySeeder,
    ILogger<DemoSeeder> logger)
    : BackgroundService
{
    const string Competition = "WSC2024";

    /// <summary>
    /// The demo's skills and their sample schemes. CNC Turning borrows CNC Milling's under a title of its own (an outside
    /// tester: skill 06 served a scheme titled "CNC Milling").
    /// </summary>
    static readonly (int Skill, string SchemeFile, string? Title)[] Skills =
    [
        (7, "cnc-milling-sample.json", null),
        (6, "cnc-milling-sample.json", "CNC Turning (SAMPLE marking scheme for demos, CNC Milling's sample reused; not an official WorldSkills scheme)"),
        (35, "restaurant-service-sample.json", null),
    ];

    /// <summary>The demo's lenient judge: the second marker of the first marking group (E-NO when every member is seeded).</summary>
    const int LenientExpertIndex = 2;

    static readonly string[] CompetingMembers = ["CN", "KR", "JP", "FR", "DE", "CH", "AT", "BR", "AU", "CA", "NL", "FI"];

    /// <summary>Experts from members who do not compete in the demo, so every competitor can be marked.</summary>
    static readonly string[] ExpertMembers = ["BE", "DK", "NO", "SE", "IE", "NZ", "SG", "IT", "ES", "PT", "EE", "HU"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Platform.BooleanSetting.Read(configuration, "Demo:Seed", database.IsEmbedded))
        {
            return;
        }
        try
        {
            // The embedded demo keeps its generated passwords beside its data (.data/), like the admin's.
            await agencySeeder.SeedAsync(database.DataDirectory is { } data ? Path.GetDirectoryName(data.TrimEnd(Path.DirectorySeparatorChar)) : null, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Seeding the demo agency failed; the server runs without it");
        }
        try
        {
            var members = (await competitions.MembersAsync(stoppingToken)).ToDictionary(m => m.Code, m => m.Name);
            foreach (var (skill, file, title) in Skills)
            {
                await SeedSkillAsync(skill, file, title, members, stoppingToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Seeding the demo failed; the server runs without it");
        }
    }

    async Task SeedSkillAsync(int skill, string file, string? title, IReadOnlyDictionary<string, string> members, CancellationToken ct)
    {
        var key = SkillKey.Format(Competition, skill);
        var eventGrain = grains.GetGrain<IEventGrain>(key);
        if ((await eventGrain.GetSummary()).HasScheme)
        {
            return;
        }
        var scheme = SchemeJson.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "seed-data", "marking-schemes", file), ct)).Scheme
            ?? throw new InvalidDataException($"The sample scheme {file} does not validate.");
        const string actor = "demo-seeder";
        await eventGrain.SetScheme(SchemeJson.Write(title is null ? scheme : scheme with { Title = title }), JudgementSet.DefaultJudges, allowCompatriots: false, actor);

        var competing = CompetingMembers.Where(members.ContainsKey).ToList();
        var competitors = competing.Select(m => new CompetitorInfo($"{m}-{skill:00}", m, $"{members[m]} (demo)", new[] { new PersonName("Demo", $"Competitor {m}") })).ToList();
        await eventGrain.ImportCompetitors(competitors, onePerMember: true, actor);

        var expertMembers = ExpertMembers.Where(members.ContainsKey).ToList();
        // One judge of the first group is deliberately lenient, and says so in its name, so the judging report has a finding to show.
        var experts = expertMembers.Select((m, i) => new ExpertInfo($"E-{m}", m, i == LenientExpertIndex ? $"Demo Expert {m} (lenient, generated)" : $"Demo Expert {m}",
            i == 0 ? ExpertRole.ChiefExpert : ExpertRole.Expert)).ToList();
        var lenient = experts.Count > LenientExpertIndex ? experts[LenientExpertIndex].Id : null;
        await eventGrain.ImportExperts(experts, actor);

        // Two marking groups share the criteria; each has enough experts for three judgements per aspect.
        var markers = experts.Skip(1).Select(e => e.Id).ToList();
        var half = markers.Count / 2;
        var criteria = scheme.Criteria.Select(c => c.Id).ToList();
        var groups = new[]
        {
            new MarkingGroup("G1", "Marking group 1 (demo)", criteria.Where((_, i) => i % 2 == 0).ToList(), markers.Take(half).ToList()),
            new MarkingGroup("G2", "Marking group 2 (demo)", criteria.Where((_, i) => i % 2 == 1).ToList(), markers.Skip(half).ToList()),
        };
        await eventGrain.SetMarkingGroups(groups, actor);

        // Marks partly entered: every criterion but the last for most competitors, as on a competition's last day.
        var random = new Random(skill * 7919);
        var ability = competitors.ToDictionary(c => c.Id, _ => 0.45 + random.NextDouble() * 0.5);
        foreach (var competitor in competitors)
        {
            var contestant = grains.GetGrain<IContestantGrain>(SkillKey.Contestant(Competition, skill, competitor.Id));
            var markedCriteria = scheme.Criteria.Take(scheme.Criteria.Count - (random.Next(3) == 0 ? 2 : 1));
            foreach (var criterion in markedCriteria)
            {
                var group = groups.First(g => g.Targets.Contains(criterion.Id));
                foreach (var aspect in criterion.SubCriteria.SelectMany(s => s.Aspects))
                {
                    if (aspect.Type == AspectType.Judgement)
                    {
                        var centre = Math.Clamp((int)Math.Round(ability[competitor.Id] * 3), 0, 3);
                        // The lenient judge scores last, so a spread refusal (a discussion, then a re-score) falls on them.
                        foreach (var judge in group.ExpertIds.Take(JudgementSet.DefaultJudges).OrderBy(j => j == lenient))
                        {
                            // Judges agree within one point, so only the lenient judge ever trips the spread rule.
                            var score = centre > 0 && random.Next(4) == 0 ? centre - 1 : centre;
                            if (judge == lenient)
                            {
                                score = Math.Min(3, centre + 1);
                            }
                            var answer = await contestant.Submit(new MarkBatch($"demo-{competitor.Id}-{aspect.Id}-{judge}", judge, "demo", competitor.Id, new[] { new MarkEntry(aspect.Id, Score: score) }));
                            if (!answer.Accepted || (judge == lenient && score > centre && random.Next(16) == 0))
                            {
                                // Refused for spread, or talked down after the group's discussion: the lenient judge re-scores.
                                await contestant.Submit(new MarkBatch($"demo-{competitor.Id}-{aspect.Id}-{judge}-rescore", judge, "demo", competitor.Id, new[] { new MarkEntry(aspect.Id, Score: centre) }));
                            }
                        }
                    }
                    else
                    {
                        var achieved = random.NextDouble() < ability[competitor.Id] + 0.1;
                        MarkEntry entry = aspect.Bands.Count > 0
                            ? new MarkEntry(aspect.Id, Deviation: decimal.Round((decimal)(random.NextDouble() * (double)aspect.Bands.Max(b => b.Within) * (achieved ? 0.8 : 1.6)), 3))
                            : aspect.Deductions.Count > 0
                                ? new MarkEntry(aspect.Id, Deductions: aspect.Deductions.Select(_ => achieved ? 0 : random.Next(1, 3)).ToList())
                                : new MarkEntry(aspect.Id, Achieved: achieved);
                        await contestant.Submit(new MarkBatch($"demo-{competitor.Id}-{aspect.Id}", group.ExpertIds[0], "demo", competitor.Id, new[] { entry }));
                    }
                }
            }
        }
        await eventGrain.Recompute();
        logger.LogInformation("Demo data seeded for {Competition} skill {Skill} ({Competitors} generated competitors, labelled 'demo')",
            Competition, skill.ToString("00", CultureInfo.InvariantCulture), competitors.Count);
    }
}
