using SkillsHub.Domain.Marking;
using SkillsHub.Domain.Scoring;
using static SkillsHub.Domain.Tests.Scoring.TestSchemes;

namespace SkillsHub.Domain.Tests.Marking;

/// <summary>
/// Who may write which mark, and why a mark is refused (docs/scoring.md, "Refusals"): each refusal names its own reason,
/// so a page can say what is wrong in its own language. Found by an outside tester: an aspect sent twice, a fourth
/// judge's score and a value of the wrong kind were all "out of range".
/// </summary>
public sealed class MarkRulesTests
{
    // A1.1 all-or-nothing, A1.2 judgement, B1.1 banded, B1.2 judgement (Simple); C1.1 with deductions, marked on C2.
    static readonly MarkingScheme Scheme = Simple() with
    {
        Criteria = [.. Simple().Criteria, Criterion("C", Sub("C1", Measurement("C1.1", 1m, "C2") with { Deductions = [new Deduction(1m, "each breach")] }))],
    };

    static MarkingContext Context(string expert = "E1", string expertMember = "FR", string competitorMember = "CN", bool compatriots = false,
        IReadOnlySet<string>? locks = null) =>
        new(Scheme, 3, compatriots, expert, expertMember, competitorMember,
            [new Assignment(["A", "B", "C"], ["E1", "E2", "E3", "E4"]), new Assignment(["A1.1"], ["E5"])], locks ?? new HashSet<string>());

    static IReadOnlyList<Refusal> Check(MarkingContext context, params ProposedMark[] marks) =>
        MarkRules.Check(context, marks, _ => new Dictionary<string, int>());

    static RefusalReason Only(IReadOnlyList<Refusal> refusals) => Assert.Single(refusals).Reason;

    [Fact]
    public void GoodMarks_AreNotRefused()
    {
        Assert.Empty(Check(Context(), new ProposedMark("A1.1", Achieved: true), new ProposedMark("A1.2", Score: 2),
            new ProposedMark("B1.1", Deviation: 0.07m), new ProposedMark("C1.1", Deductions: [1])));
    }

    [Fact]
    public void ACompatriot_IsRefusedForTheWholeBatch_UnlessTheSkillAllowsIt()
    {
        var refusal = Assert.Single(Check(Context(competitorMember: "FR"), new ProposedMark("A1.1", Achieved: true)));
        Assert.Equal((null, RefusalReason.Compatriot), (refusal.AspectId, refusal.Reason));
        Assert.Empty(Check(Context(competitorMember: "FR", compatriots: true), new ProposedMark("A1.1", Achieved: true)));
    }

    [Fact]
    public void EachRefusal_NamesItsOwnReason()
    {
        Assert.Equal(RefusalReason.UnknownAspect, Only(Check(Context(), new ProposedMark("Z9.9", Achieved: true))));
        Assert.Equal(RefusalReason.NotAssigned, Only(Check(Context("E5"), new ProposedMark("A1.2", Score: 2))));
        Assert.Equal(RefusalReason.Locked, Only(Check(Context(locks: new HashSet<string> { "A" }), new ProposedMark("A1.1", Achieved: true))));
        // A marking day's lock is said as a day (found by an outside tester: the Chinese text said the criterion was locked).
        Assert.Equal(RefusalReason.DayLocked, Only(Check(Context(locks: new HashSet<string> { "C2" }), new ProposedMark("C1.1", Deductions: [0]))));
        Assert.Equal(RefusalReason.Locked, Only(Check(Context(locks: new HashSet<string> { "C", "C2" }), new ProposedMark("C1.1", Deductions: [0]))));

        // Twice in one batch: refused as a duplicate, not by either value, and first (it decides the answer), even when
        // one of the values alone would be refused otherwise (another tester: two scores were a spread violation).
        var twice = Check(Context(), new ProposedMark("A1.1", Achieved: true), new ProposedMark("A1.1", Achieved: false));
        Assert.Equal(RefusalReason.DuplicateAspect, Only(twice));
        var scores = MarkRules.Check(Context("E2"), [new ProposedMark("A1.2", Score: 0), new ProposedMark("A1.2", Score: 3), new ProposedMark("A1.1", Score: 1)],
            _ => new Dictionary<string, int> { ["E1"] = 3 });
        Assert.Equal([RefusalReason.DuplicateAspect, RefusalReason.WrongValue], scores.Select(r => r.Reason));

        // The wrong kind of value: none, two, a score for a measurement, a measurement for a judgement, the wrong measurement.
        foreach (var wrong in new[]
        {
            new ProposedMark("A1.1"),
            new ProposedMark("A1.1", Achieved: true, Deviation: 0.01m),
            new ProposedMark("A1.1", Score: 3),
            new ProposedMark("A1.2", Achieved: true),
            new ProposedMark("B1.1", Achieved: true),
            new ProposedMark("A1.1", Deviation: 0.01m),
            new ProposedMark("C1.1", Deductions: [1, 2]),
        })
        {
            Assert.Equal(RefusalReason.WrongValue, Only(Check(Context(), wrong)));
        }

        // Values outside their range.
        Assert.Equal(RefusalReason.OutOfRange, Only(Check(Context(), new ProposedMark("A1.2", Score: 4))));
        Assert.Equal(RefusalReason.OutOfRange, Only(Check(Context(), new ProposedMark("A1.2", Score: -1))));
        Assert.Equal(RefusalReason.OutOfRange, Only(Check(Context(), new ProposedMark("C1.1", Deductions: [-1]))));
    }

    [Fact]
    public void AJudgeBeyondTheGroupsNumber_IsTooManyScores_AndTwoApart_IsASpreadViolation()
    {
        var three = new Dictionary<string, int> { ["E1"] = 2, ["E2"] = 2, ["E3"] = 3 };
        var fourth = MarkRules.Check(Context("E4"), [new ProposedMark("A1.2", Score: 2)], _ => three);
        Assert.Equal(RefusalReason.TooManyScores, Only(fourth));
        // Said of the three scores stored, not of the four the refused one would make.
        Assert.Equal("Aspect 'A1.2' already has its 3 judgement scores, from 'E1', 'E2', 'E3'; expert 'E4' is not one of them.", Assert.Single(fourth).Message);
        // A judge who has scored may change their score.
        Assert.Empty(MarkRules.Check(Context("E3"), [new ProposedMark("A1.2", Score: 2)], _ => three));

        var apart = MarkRules.Check(Context("E2"), [new ProposedMark("A1.2", Score: 0)], _ => new Dictionary<string, int> { ["E1"] = 2 });
        var spread = Assert.Single(apart);
        Assert.Equal(RefusalReason.SpreadViolation, spread.Reason);
        Assert.Equal([0, 2], spread.Scores!.Order());
    }

    [Fact]
    public void AStaleMark_MeetsEveryRule_ButTheSpread()
    {
        var stale = new HashSet<string> { "A1.1", "A1.2" };
        var stored = new Dictionary<string, int> { ["E1"] = 2 };
        // The rules that do not depend on what is stored hold for a stale mark too (found by an outside tester: they were skipped).
        var compatriot = MarkRules.Check(Context(competitorMember: "FR"), [new ProposedMark("A1.1", Achieved: true)], _ => stored, stale);
        Assert.Equal(RefusalReason.Compatriot, Only(compatriot));
        Assert.Equal(RefusalReason.NotAssigned, Only(MarkRules.Check(Context("E5"), [new ProposedMark("A1.2", Score: 2)], _ => stored, stale)));
        Assert.Equal(RefusalReason.Locked, Only(MarkRules.Check(Context(locks: new HashSet<string> { "A" }), [new ProposedMark("A1.1", Achieved: true)], _ => stored, stale)));
        Assert.Equal(RefusalReason.WrongValue, Only(MarkRules.Check(Context(), [new ProposedMark("A1.1")], _ => stored, stale)));
        Assert.Equal(RefusalReason.OutOfRange, Only(MarkRules.Check(Context(), [new ProposedMark("A1.2", Score: 7)], _ => stored, stale)));
        Assert.Equal(RefusalReason.DuplicateAspect, Only(MarkRules.Check(Context(), [new ProposedMark("A1.1", Achieved: true), new ProposedMark("A1.1", Achieved: true)], _ => stored, stale)));
        // The spread only an applied score can break: a stale 0 beside another judge's 2 is not a violation (it changes nothing);
        // the same fresh score is refused.
        Assert.Empty(MarkRules.Check(Context("E2"), [new ProposedMark("A1.2", Score: 0)], _ => stored, stale));
        Assert.Equal(RefusalReason.SpreadViolation, Only(MarkRules.Check(Context("E2"), [new ProposedMark("A1.2", Score: 0)], _ => stored)));
    }
}
