using SkillsHub.Abstractions;
using SkillsHub.Domain.Scoring;
using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

public sealed record MedalRow(string MemberCode, string MemberName, int Gold, int Silver, int Bronze, int Medallions, int MedalPoints, int SkillsEntered, string? MemberNameZh = null);

public sealed record AwardWinner(string CompetitorId, string Name, string MemberCode, int SkillNumber, int Scaled);

public sealed record CompetitionResultsView(string CompetitionCode, IReadOnlyList<MedalRow> MedalTable, IReadOnlyList<AwardWinner> BestOfNation,
    IReadOnlyList<AwardWinner> AlbertVidal, IReadOnlyList<SkillLeader> Leaders);

public sealed record SkillLeader(int SkillNumber, string? CompetitorId, string? Name, string? MemberCode, int? Scaled, string Mode, bool Published);

/// <summary>
/// Results through the scoring engine, from standings the event grains precomputed when marks changed.
/// Spectators get the public view (frozen or hidden skills as such); the jury gets live standings.
/// </summary>
public static class ResultsApi
{
    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder endpoints)
    {
        var results = endpoints.MapGroup("/api/competitions/{code}").WithTags("Results");
        var open = results.MapGroup("").RequireAuthorization(Policies.Public);
        open.MapGet("/skills/{number:skill}/standings", GetStandings).AnswersByCaller().WithSummary("Standings of one skill: rank, competitor, member, raw total, scaled score, medal.");
        open.MapGet("/results", GetResults).AnswersByCaller().WithSummary("Medal table (medal points 4/3/2/1), Best of Nation, Albert Vidal, each skill's leader (one entry each for a tie).");
        open.MapGet("/reports/{kind}", GetReport).AnswersByCaller().AddOpenApiOperationTransformer(DeclareReportKinds)
            .WithSummary("Member reports: alphabetical, total-medal-points, average-medal-points, total-scaled, average-scaled.");
        results.MapGet("/results.csv", GetCsv).ProducesContent("text/csv").RequireAuthorization(Policies.Organiser)
            .WithSummary("Ceremony CSV: Position, Member, Member Name, Skill Number, Medal, First Name, Last Name, WorldSkills Scale Score.");
        return endpoints;
    }

    /// <summary>The report names the path takes, in the contract: the path names and the kinds' own (docs/scoring.md, "Results").</summary>
    static Task DeclareReportKinds(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.Parameters?.OfType<Microsoft.OpenApi.OpenApiParameter>().FirstOrDefault(p => p.Name == "kind") is { } parameter)
        {
            parameter.Description = "The report: its path name or the kind a report answers with (TotalMedalPoints ...), in any case.";
            parameter.Schema = new Microsoft.OpenApi.OpenApiSchema
            {
                Type = Microsoft.OpenApi.JsonSchemaType.String,
                Enum = [.. MemberReportKinds.Names.Select(name => (System.Text.Json.Nodes.JsonNode)name)],
            };
        }
        return Task.CompletedTask;
    }

    // A competition or skill that is not on file never reaches these handlers (Hosting/CompetitionRoutes.cs).
    // The jury's live view is theirs alone: private, never in a shared cache (docs/pages.md, "Transfer").
    static async Task<Ok<Standings>> GetStandings(string code, int number, IGrainFactory grains, ClaimsPrincipal user, HttpContext http)
    {
        var jury = user.IsJury(code, number);
        if (jury)
        {
            CallerDependent.Mark(http);
        }
        return TypedResults.Ok(await grains.GetGrain<IEventGrain>(SkillKey.Format(code, number)).GetStandings(jury));
    }

    static bool Live(ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Organiser);

    static async Task<(IReadOnlyList<Standings> Skills, IReadOnlyDictionary<string, string> Members)> LoadAsync(string code, IGrainFactory grains, CompetitionStore store, bool live, CancellationToken ct)
    {
        var (skills, members, _) = await LoadWithChineseAsync(code, grains, store, live, ct);
        return (skills, members);
    }

    static async Task<(IReadOnlyList<Standings> Skills, IReadOnlyDictionary<string, string> Members, IReadOnlyDictionary<string, string> MembersZh)> LoadWithChineseAsync(string code, IGrainFactory grains, CompetitionStore store, bool live, CancellationToken ct)
    {
        var skills = await grains.GetGrain<ICompetitionGrain>(code.ToUpperInvariant()).GetSkillStandings(live);
        var rows = await store.MembersAsync(ct);
        return (skills, rows.ToDictionary(m => m.Code, m => m.Name), rows.Where(m => m.NameZh is not null).ToDictionary(m => m.Code, m => m.NameZh!));
    }

    /// <summary>
    /// The members with a competitor in the competition, in a decided skill or not: the ones the member reports and the medal
    /// table list; the other WorldSkills members have nothing to report.
    /// </summary>
    static HashSet<string> Entered(IEnumerable<SkillResult> skills) =>
        skills.SelectMany(s => s.Standings.Select(r => r.Competitor.MemberCode)).ToHashSet(StringComparer.Ordinal);

    static SkillResult ToDomain(Standings s) => new(
        SkillKey.Format(s.CompetitionCode, s.SkillNumber),
        new ScaleParameters(s.Median, s.Spread, SpreadEstimator.SampleStandardDeviation),
        s.Rows.Select(r => new CompetitorResult(new Competitor(r.CompetitorId, r.MemberCode, SkillKey.Format(s.CompetitionCode, s.SkillNumber)),
            r.Raw, r.Scaled, r.Place, Enum.Parse<Award>(r.Award), null)).ToList()) { Decided = s.Decided };

    static async Task<Ok<CompetitionResultsView>> GetResults(string code, IGrainFactory grains, CompetitionStore store, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        if (Live(user))
        {
            CallerDependent.Mark(http);
        }
        var (skills, members, membersZh) = await LoadWithChineseAsync(code, grains, store, Live(user), ct);
        var domain = skills.Where(s => s.Rows.Count > 0).Select(ToDomain).ToList();
        var overall = CompetitionResults.Compute(domain);
        var names = skills.SelectMany(s => s.Rows.Select(r => (s.SkillNumber, r))).ToDictionary(x => x.r.CompetitorId + "@" + x.SkillNumber, x => x.r.Name);
        AwardWinner Winner(CompetitorScore c)
        {
            var number = SkillKey.Parse(c.SkillKey).Skill;
            return new AwardWinner(c.CompetitorId, names.GetValueOrDefault(c.CompetitorId + "@" + number, c.CompetitorId), c.MemberCode, number, c.Scaled);
        }
        var standings = MemberReports.Standings(domain, members);
        // The members the reports list (Entered), once a skill is decided; before that there are no results, and the board
        // says so. Found by an outside tester: a member whose competitors were all in undecided skills was in every report,
        // with zeros, but not in the medal table (docs/scoring.md, "Results").
        HashSet<string> entered = domain.Any(d => d.Decided) ? Entered(domain) : [];
        var table = standings.Where(m => entered.Contains(m.MemberCode))
            .OrderByDescending(m => m.MedalPoints).ThenByDescending(m => m.Gold).ThenByDescending(m => m.Silver).ThenByDescending(m => m.Bronze).ThenBy(m => m.MemberCode, StringComparer.Ordinal)
            .Select(m => new MedalRow(m.MemberCode, m.Name, m.Gold, m.Silver, m.Bronze, m.Medallions, m.MedalPoints, m.SkillsEntered, membersZh.GetValueOrDefault(m.MemberCode))).ToList();
        // A skill leads with someone only once it is decided (SkillResult.Decided; docs/scoring.md, "Results").
        var decided = domain.Where(d => d.Decided).Select(d => d.SkillKey).ToHashSet(StringComparer.Ordinal);
        // Everyone sharing first place leads: one row each (found by an outside tester: a tie for first named only one).
        var leaders = skills.OrderBy(s => s.SkillNumber).SelectMany(s => s.Rows.FirstOrDefault() is { } top && decided.Contains(SkillKey.Format(s.CompetitionCode, s.SkillNumber))
            ? s.Rows.TakeWhile(r => r.Place == top.Place).Select(r => new SkillLeader(s.SkillNumber, r.CompetitorId, r.Name, r.MemberCode, r.Scaled, s.Mode.ToString(), s.Published))
            : [new SkillLeader(s.SkillNumber, null, null, null, null, s.Mode.ToString(), s.Published)]).ToList();
        return TypedResults.Ok(new CompetitionResultsView(code.ToUpperInvariant(), table,
            overall.BestOfNation.SelectMany(b => b.Winners).Select(Winner).ToList(),
            overall.AlbertVidal?.Winners.Select(Winner).ToList() ?? [], leaders));
    }

    static async Task<Results<Ok<MemberReport>, ProblemHttpResult>> GetReport(string code, string kind, IGrainFactory grains, CompetitionStore store, ClaimsPrincipal user, HttpContext http, CancellationToken ct)
    {
        // The path name or the kind a report answers with, any case (Domain MemberReportKinds).
        if (!MemberReportKinds.TryParse(kind, out var reportKind))
        {
            return Problems.NotFound("Unknown report", $"Reports are: {string.Join(", ", MemberReportKinds.PathNames)} (or the kind a report answers with, such as TotalMedalPoints).", "kind");
        }
        if (Live(user))
        {
            CallerDependent.Mark(http);
        }
        var (skills, members, membersZh) = await LoadWithChineseAsync(code, grains, store, Live(user), ct);
        var domain = skills.Where(s => s.Rows.Count > 0).Select(ToDomain).ToList();
        var entered = Entered(domain);
        var report = MemberReports.Build(domain, members).Single(r => r.Kind == reportKind);
        // Each member also by its Chinese name, for the console in Chinese (docs/pages.md, "Languages").
        return TypedResults.Ok(report with
        {
            Rows = report.Rows.Where(r => entered.Contains(r.Standing.MemberCode))
                .Select(r => r with { Standing = r.Standing with { NameZh = membersZh.GetValueOrDefault(r.Standing.MemberCode) } }).ToList(),
        });
    }

    static async Task<FileContentHttpResult> GetCsv(string code, IGrainFactory grains, CompetitionStore store, CancellationToken ct)
    {
        var (skills, members) = await LoadAsync(code, grains, store, live: true, ct);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Formula-neutralised (docs/security.md): names come from imported files.
        await using (var csv = Domain.Text.SafeCsv.CreateWriter(text, leaveOpen: true))
        {
            foreach (var header in new[] { "Position", "Member", "Member Name", "Skill Number", "Medal", "First Name", "Last Name", "WorldSkills Scale Score" })
            {
                csv.WriteField(header);
            }
            await csv.NextRecordAsync();
            // An undecided skill (no raw total above 0: everyone tied at 700) has no results to announce: it is left out,
            // as /results, /reports and the leaders leave it out (Standings.Decided, on the exact totals; docs/scoring.md, "Results").
            foreach (var skill in skills.Where(s => s.Decided).OrderBy(s => s.SkillNumber))
            {
                foreach (var row in skill.Rows)
                {
                    // Teams count once in rankings, but every team member is named on the ceremony list.
                    foreach (var person in row.People)
                    {
                        csv.WriteField(row.Place);
                        csv.WriteField(row.MemberCode);
                        csv.WriteField(members.GetValueOrDefault(row.MemberCode, row.MemberCode));
                        csv.WriteField(skill.SkillNumber.ToString("00", CultureInfo.InvariantCulture));
                        csv.WriteField(MedalName(row.Award));
                        csv.WriteField(person.FirstName);
                        csv.WriteField(person.LastName);
                        csv.WriteField(row.Scaled);
                        await csv.NextRecordAsync();
                    }
                }
            }
        }
        return CsvDownload.Of(text.ToString(), $"{code.ToUpperInvariant()}-results.csv");
    }

    static string MedalName(string award) => award switch
    {
        nameof(Award.Gold) => "Gold",
        nameof(Award.Silver) => "Silver",
        nameof(Award.Bronze) => "Bronze",
        nameof(Award.MedallionForExcellence) => "Medallion for Excellence",
        _ => "",
    };
}
