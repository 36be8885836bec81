using SkillsHub.Domain.Scoring.Import;
using SkillsHub.Server.Competitions;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Api;

public static partial class SetupApi
{
    static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportScheme(string code, int number, HttpRequest request, CompetitionStore store, IGrainFactory grains,
        ClaimsPrincipal user, CancellationToken ct, int? judges = null, bool? allowCompatriots = null, string? title = null)
    {
        var skill = await store.FindSkillAsync(code, number, ct);
        if (skill is null)
        {
            return Problems.UnknownSkill(code, number);
        }
        var (text, encoding) = await Body.ReadTextAsync(request);
        if (encoding is not null)
        {
            return RowErrors("The marking scheme was not imported", [encoding]);
        }
        // The title, in CSV and JSON alike: ?title=, else the file's own (a sheet has none), else the stored scheme's, so an
        // exported file imports back to the same scheme, else "{skill name} marking scheme" (docs/scoring.md, "Import formats").
        var stored = await Event(grains, code, number).GetSchemeJson();
        var fallbackTitle = (stored is null ? null : SchemeJson.Parse(stored).Scheme?.Title) is { Length: > 0 } kept ? kept : $"{skill.Name} marking scheme";
        // A blank ?title= is no title asked for, as a blank title in the file is none (found by an outside tester: it was stored).
        title = string.IsNullOrWhiteSpace(title) ? null : title;
        var parsed = Body.IsCsv(request) ? SchemeCsv.Parse(text!, title ?? fallbackTitle) : SchemeJson.Import(text!, title, fallbackTitle);
        if (!parsed.IsValid)
        {
            return WithRows("The marking scheme was not imported", parsed.Problems.Select(p => new RowProblem(p.Row, p.Id, p.Field, p.Code, p.Args, p.Message)).ToList());
        }
        var summary = await Event(grains, code, number).GetSummary();
        var result = await Event(grains, code, number).SetScheme(SchemeJson.Write(parsed.Scheme!), judges ?? summary.Judges, allowCompatriots ?? summary.AllowCompatriots, user.Actor());
        if (result.Errors.Count > 0)
        {
            return result.Errors.FirstOrDefault(e => e.Code == Domain.RowCodes.SchemeHasMarks) is { } locked
                // The row's code (scheme.has-marks), as docs/scoring.md names it, not the title's slug; the field is the
                // scheme, or allowCompatriots when only that setting would change.
                ? Problems.Conflict("Marking scheme locked", locked.Message, locked.Field, new Dictionary<string, object?> { ["code"] = locked.Code })
                : RowErrors("The marking scheme was not imported", result.Errors);
        }
        return TypedResults.Ok(new ImportResponse(result.Changed, result.Count) { Notes = Notes(result) });
    }
}
