using SkillsHub.Abstractions;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The skill grain's standings and visibility rules (docs/scoring.md), in process: totals reported as the
/// contestant grains report them, standings read as the hub and the API read them.
/// </summary>
[Collection(ServerCollection.Marking)]
public sealed class EventGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    static int _skills;

    static readonly CompetitorInfo[] Competitors =
    [
        new("FR-07", "FR", "Louis Martin", [new("Louis", "Martin")]),
        new("CN-07", "CN", "Wei Zhang", [new("Wei", "Zhang")]),
        new("KR-07", "KR", "Minjun Kim", [new("Minjun", "Kim")]),
    ];

    /// <summary>A skill of its own per test (the cluster lives as long as the class), with the test scheme and three competitors.</summary>
    async Task<IEventGrain> SkillAsync(string competition = "GRAIN")
    {
        var skill = cluster.Grains.GetGrain<IEventGrain>(SkillKey.Format(competition, Interlocked.Increment(ref _skills)));
        Assert.Empty((await skill.SetScheme(MarkingScenario.SchemeJson, 3, false, "test")).Errors);
        Assert.Empty((await skill.ImportCompetitors(Competitors, true, "test")).Errors);
        return skill;
    }

    static ContestantTotals Totals(string competitor, decimal raw, long version, DateTimeOffset? changedAt = null) =>
        new(competitor, raw, new Dictionary<string, decimal> { ["A"] = raw }, 1, version, changedAt ?? DateTimeOffset.UtcNow);

    static decimal RawOf(Standings standings, string competitor) => standings.Rows.Single(r => r.CompetitorId == competitor).Raw;

    /// <summary>
    /// Reports totals as a contestant grain does (a one-way call, so it may arrive after a later call), then
    /// recomputes until the live standings show them.
    /// </summary>
    static async Task<Standings> ReportAsync(IEventGrain skill, ContestantTotals totals)
    {
        await skill.TotalsChanged(totals);
        Standings live = null!;
        Assert.True(await TestNode.EventuallyAsync(async () => RawOf(live = await skill.Recompute(), totals.CompetitorId) == totals.Raw, TimeSpan.FromSeconds(10)),
            $"{totals.CompetitorId} never showed {totals.Raw}");
        return live;
    }

    [Fact]
    public async Task ReportedTotals_RankTheCompetitors_AndTheSequenceIncreases()
    {
        var skill = await SkillAsync();
        var before = await skill.Recompute();
        Assert.Equal(3, before.Rows.Count);

        await ReportAsync(skill, Totals("KR-07", 40m, 1));
        var after = await ReportAsync(skill, Totals("CN-07", 20m, 1));

        Assert.True(after.Sequence > before.Sequence);
        Assert.Equal(["KR-07", "CN-07", "FR-07"], after.Rows.Select(r => r.CompetitorId));
        Assert.Equal(40m, RawOf(after, "KR-07"));
        Assert.Equal(["Gold", "Silver", "Bronze"], after.Rows.Select(r => r.Award));
        // Live mode: the public sees what the jury sees.
        static object Row(StandingRow r) => (r.Place, r.CompetitorId, r.Raw, r.Scaled, r.Award);
        Assert.Equal(after.Rows.Select(Row), (await skill.GetStandings(live: false)).Rows.Select(Row));
    }

    /// <summary>
    /// The jury's read shows every total the skill holds, also one inside a push window, whose push waits (found by an outside
    /// tester: a publish right after the deciding marks read the standings before them, and was refused as having none).
    /// </summary>
    [Fact]
    public async Task TheJurysRead_ShowsATotalBeforeItsPacedPush()
    {
        var skill = await SkillAsync();
        await ReportAsync(skill, Totals("KR-07", 5m, 1)); // after a quiet spell: pushed at once, opening a push window
        await skill.TotalsChanged(Totals("CN-07", 20m, 1)); // inside the window: its push waits
        // The report is one-way, so Orleans may deliver it after later calls (it once came after a call made to wait for it):
        // the jury's read is repeated until it shows the report, for at most half the cluster's push window (10 s,
        // GrainCluster), so it is the read that shows it, never the paced push.
        Standings live = null!;
        Assert.True(await TestNode.EventuallyAsync(async () => RawOf(live = await skill.GetStandings(live: true), "CN-07") == 20m, GrainCluster.PushWindow / 2),
            $"the jury's read showed {RawOf(live, "CN-07")} for CN-07");
        Assert.Equal("CN-07", live.Rows[0].CompetitorId);
    }

    /// <summary>
    /// A raw total of 0.0011 shows as 0.00 yet decides the skill, as the exact totals say; the standings carry that, so the
    /// results, reports and publishing do not read it from the rounded rows (found by an outside tester: such a skill had
    /// medals on its standings and none in the results).
    /// </summary>
    [Fact]
    public async Task ATotalShownAsZero_DecidesTheSkill_AsItsExactValueSays()
    {
        var skill = await SkillAsync();
        Assert.False((await skill.Recompute()).Decided);
        await skill.TotalsChanged(Totals("KR-07", 0.0011m, 1));
        Standings live = null!;
        Assert.True(await TestNode.EventuallyAsync(async () => (live = await skill.Recompute()).Decided, TimeSpan.FromSeconds(10)), "never decided");
        Assert.Equal(0.00m, RawOf(live, "KR-07"));
        Assert.Equal(("KR-07", "Gold"), (live.Rows[0].CompetitorId, live.Rows[0].Award));
        Assert.True((await skill.GetStandings(live: false)).Decided);
    }

    [Fact]
    public async Task AnOlderReport_DoesNotReplaceANewerOne()
    {
        var skill = await SkillAsync();
        await ReportAsync(skill, Totals("FR-07", 30m, 5));
        await skill.TotalsChanged(Totals("FR-07", 10m, 4)); // an older report, delivered late
        // Another competitor's report, sent after it, is the barrier: once it shows, the late one was handled.
        var live = await ReportAsync(skill, Totals("CN-07", 5m, 1));
        Assert.Equal(30m, RawOf(live, "FR-07"));
    }

    [Fact]
    public async Task Frozen_ThePublicSeesTheSnapshot_Hidden_Nothing_Published_Everything_TheJuryAlwaysLive()
    {
        var skill = await SkillAsync();
        await ReportAsync(skill, Totals("KR-07", 40m, 1));

        await skill.SetVisibility(VisibilityMode.Frozen, null, "test");
        await ReportAsync(skill, Totals("CN-07", 40m, 1));
        var frozen = await skill.GetStandings(live: false);
        Assert.Equal(VisibilityMode.Frozen, frozen.Mode);
        Assert.Equal((40m, 0m), (RawOf(frozen, "KR-07"), RawOf(frozen, "CN-07")));

        await skill.SetVisibility(VisibilityMode.Hidden, null, "test");
        var hiddenAtFirst = await skill.GetStandings(live: false);
        // Hiding the frozen skill is one step after the frozen view, in sequence and time, not the live ones: the jury's
        // change during the freeze is not told (found by an outside tester: the sequence jumped by the changes made).
        Assert.Equal((frozen.Sequence + 1, frozen.AsOf), (hiddenAtFirst.Sequence, hiddenAtFirst.AsOf));
        Assert.True((await skill.GetStandings(live: true)).Sequence > hiddenAtFirst.Sequence);
        await ReportAsync(skill, Totals("FR-07", 10m, 1));
        var hidden = await skill.GetStandings(live: false);
        Assert.Equal(VisibilityMode.Hidden, hidden.Mode);
        Assert.Empty(hidden.Rows);
        // The jury's changes while hidden do not move what spectators see, not even its sequence or time (found by an
        // outside tester: the sequence counted them).
        Assert.Equal((hiddenAtFirst.Sequence, hiddenAtFirst.AsOf), (hidden.Sequence, hidden.AsOf));

        await skill.Publish("test");
        var published = await skill.GetStandings(live: false);
        Assert.True(published.Published);
        Assert.Equal((40m, 40m, 10m), (RawOf(published, "KR-07"), RawOf(published, "CN-07"), RawOf(published, "FR-07")));
    }

    /// <summary>
    /// A visibility change or a publish is answered once the competition's results hold it (docs/scoring.md, "Visibility"):
    /// each public view reaching the competition half a second after it was sent, as it may on another node, or the hidden
    /// view lost on its way once, a read right after the answer still never shows what was just hidden.
    /// </summary>
    [Theory]
    [InlineData(GrainCluster.LateCompetition)]
    [InlineData(GrainCluster.LossyCompetition)]
    public async Task AVisibilityChange_IsInTheResults_OnceAnswered_HoweverLateOrLostTheMessage(string code)
    {
        var skill = await SkillAsync(code);
        var (_, number) = SkillKey.Parse(skill.GetPrimaryKeyString());
        var competition = cluster.Grains.GetGrain<ICompetitionGrain>(code);
        async Task<Standings> ResultsAsync() => (await competition.GetSkillStandings(live: false)).Single(s => s.SkillNumber == number);
        await ReportAsync(skill, Totals("KR-07", 40m, 1));
        Assert.True(await TestNode.EventuallyAsync(async () => (await ResultsAsync()).Rows.Any(r => r.Raw == 40m), TimeSpan.FromSeconds(10)));

        await skill.SetVisibility(VisibilityMode.Hidden, null, "test");
        var hidden = await ResultsAsync();
        Assert.Equal(VisibilityMode.Hidden, hidden.Mode);
        Assert.Empty(hidden.Rows);

        await skill.Publish("test");
        var published = await ResultsAsync();
        Assert.True(published.Published);
        Assert.Equal(40m, RawOf(published, "KR-07"));
    }

    /// <summary>
    /// Found by an outside tester: a freeze set for later, and Live set again, moved the public sequence (and so the ETag)
    /// with nothing new to show, and every board took its next push for a missed one. What spectators see keeps its
    /// sequence and time until it changes; the next change is ahead of it.
    /// </summary>
    [Fact]
    public async Task ChangesSpectatorsCannotSee_LeaveThePublicSequenceAndTime()
    {
        var skill = await SkillAsync();
        await ReportAsync(skill, Totals("KR-07", 40m, 1));
        var before = await skill.GetStandings(live: false);

        await skill.SetVisibility(VisibilityMode.Frozen, DateTimeOffset.UtcNow.AddMinutes(30), "test");
        // The jury too sees Live until the freeze takes effect (found by an outside tester: its board said Frozen early).
        Assert.Equal(VisibilityMode.Live, (await skill.GetStandings(live: true)).Mode);
        await skill.SetVisibility(VisibilityMode.Live, null, "test");
        await skill.SetVisibility(VisibilityMode.Live, null, "test");
        var after = await skill.GetStandings(live: false);
        Assert.Equal((before.Sequence, before.AsOf, VisibilityMode.Live), (after.Sequence, after.AsOf, after.Mode));

        // The next change spectators see is exactly one step on, though the jury's sequence moved with each of those
        // changes (found by an outside tester: two steps, and every board subscribed again).
        var changed = await ReportAsync(skill, Totals("CN-07", 20m, 1));
        var next = await skill.GetStandings(live: false);
        Assert.Equal(before.Sequence + 1, next.Sequence);
        Assert.True(changed.Sequence > next.Sequence);
        Assert.Equal(changed.Rows.Select(r => (r.CompetitorId, r.Raw)), next.Rows.Select(r => (r.CompetitorId, r.Raw)));
    }

    /// <summary>
    /// Found by an outside tester: a mark accepted just after a scheduled freeze's time reached spectators' frozen board,
    /// since the snapshot was taken by a tick up to a second later. A freeze's snapshot holds exactly the changes accepted
    /// up to its time (docs/scoring.md, "Visibility"), whatever order they reach the skill in; a freeze taking effect at
    /// once also holds the totals still waiting for the next push.
    /// </summary>
    [Fact]
    public async Task AFreezeSnapshot_HoldsExactlyTheChangesAcceptedUpToItsTime()
    {
        var skill = await SkillAsync();
        var freezeAt = DateTimeOffset.UtcNow.AddMinutes(30);
        await ReportAsync(skill, Totals("KR-07", 40m, 1));
        await skill.SetVisibility(VisibilityMode.Frozen, freezeAt, "test");
        Assert.Equal(VisibilityMode.Live, (await skill.GetStandings(live: false)).Mode);

        // Accepted 50 ms after the freeze's time and arriving before the tick: the snapshot is taken first, without it.
        await ReportAsync(skill, Totals("CN-07", 50m, 1, freezeAt.AddMilliseconds(50)));
        var frozen = await skill.GetStandings(live: false);
        Assert.Equal(VisibilityMode.Frozen, frozen.Mode);
        Assert.Equal((40m, 0m), (RawOf(frozen, "KR-07"), RawOf(frozen, "CN-07")));

        // Accepted 50 ms before it, still on its way when the snapshot was taken: it belongs in the snapshot.
        await ReportAsync(skill, Totals("FR-07", 10m, 1, freezeAt.AddMilliseconds(-50)));
        frozen = await skill.GetStandings(live: false);
        Assert.Equal((40m, 0m, 10m), (RawOf(frozen, "KR-07"), RawOf(frozen, "CN-07"), RawOf(frozen, "FR-07")));
        var live = await skill.GetStandings(live: true);
        Assert.Equal((40m, 50m, 10m), (RawOf(live, "KR-07"), RawOf(live, "CN-07"), RawOf(live, "FR-07")));

        // Frozen at once, right after two changes (the second inside the push window, not ranked yet): both are held.
        await skill.SetVisibility(VisibilityMode.Live, null, "test");
        await skill.TotalsChanged(Totals("CN-07", 60m, 2));
        await skill.TotalsChanged(Totals("FR-07", 70m, 2));
        await skill.SetVisibility(VisibilityMode.Frozen, null, "test");
        // (The reports are one-way calls, which Orleans may deliver after the freeze; accepted before it, they belong in
        // its snapshot either way.)
        Assert.True(await TestNode.EventuallyAsync(async () =>
        {
            frozen = await skill.GetStandings(live: false);
            return (RawOf(frozen, "KR-07"), RawOf(frozen, "CN-07"), RawOf(frozen, "FR-07")) == (40m, 60m, 70m);
        }, TimeSpan.FromSeconds(10)), $"the snapshot holds {RawOf(frozen, "CN-07")} and {RawOf(frozen, "FR-07")}");
        Assert.Equal(VisibilityMode.Frozen, frozen.Mode);
    }

    /// <summary>
    /// The frozen view keeps the exact totals it was ranked on, across a restart of the skill's grain: taken off the roster
    /// after the restart, a competitor leaves a view still ranked on those (of two competitors 50.004 and 50.001, though
    /// both show as 50.00, one scales to 771 and the other to 629, where equal totals would both be 700 and share gold),
    /// and a change accepted before the freeze that arrives after the restart still goes into it. Before, the exact
    /// totals lived only in the activation, and after a restart the view was ranked on its rows' rounded totals.
    /// </summary>
    [Fact]
    public async Task AFrozenView_IsRankedAgainOnItsExactTotals_AfterARestart()
    {
        var skill = await SkillAsync();
        var accepted = DateTimeOffset.UtcNow;
        // Both of 50.00 as shown: ReportAsync's wait for the shown total would not do.
        await skill.TotalsChanged(Totals("KR-07", 50.001m, 1, accepted));
        await skill.TotalsChanged(Totals("CN-07", 50.004m, 1, accepted));
        await ReportAsync(skill, Totals("FR-07", 60m, 1, accepted));
        Assert.True(await TestNode.EventuallyAsync(async () => (await skill.Recompute()).Rows.All(r => r.Raw > 0), TimeSpan.FromSeconds(10)), "not all totals arrived");
        await skill.SetVisibility(VisibilityMode.Frozen, null, "test");
        var frozen = await skill.GetStandings(live: false);
        Assert.Equal(["FR-07", "CN-07", "KR-07"], frozen.Rows.Select(r => r.CompetitorId));
        // Places go by the rounded scaled score: 0.003 apart next to 60, the two share second place.
        Assert.Equal([1, 2, 2], frozen.Rows.Select(r => r.Place));

        await RestartAsync(skill);
        Assert.True(await skill.RemoveCompetitor("FR-07", "test"));
        frozen = await skill.GetStandings(live: false);
        Assert.Equal(VisibilityMode.Frozen, frozen.Mode);
        Assert.Equal([("CN-07", 1, 50.00m, 771), ("KR-07", 2, 50.00m, 629)], frozen.Rows.Select(r => (r.CompetitorId, r.Place, r.Raw, r.Scaled)));

        // Accepted before the freeze, arriving after the restart: it belongs in the view (and moves KR-07 ahead, exactly).
        await RestartAsync(skill);
        await skill.TotalsChanged(Totals("KR-07", 50.006m, 2, accepted.AddMilliseconds(1)));
        Assert.True(await TestNode.EventuallyAsync(async () =>
            (frozen = await skill.GetStandings(live: false)).Rows.Select(r => r.CompetitorId).SequenceEqual(["KR-07", "CN-07"]), TimeSpan.FromSeconds(10)),
            $"the frozen view after the late change: {string.Join(", ", frozen.Rows.Select(r => $"{r.CompetitorId} {r.Place} {r.Raw}"))}");
        Assert.Equal([1, 2], frozen.Rows.Select(r => r.Place));

        // Named again by an import, FR-07 is back in the view with the total the freeze held; a competitor new since the
        // freeze had no marks then (found by an outside tester: a competitor brought back stayed off the frozen view).
        Assert.Empty((await skill.ImportCompetitors([Competitors[0], new("IN-07", "IN", "Arjun Rao", [new("Arjun", "Rao")])], true, "test")).Errors);
        await RestartAsync(skill);
        frozen = await skill.GetStandings(live: false);
        Assert.Equal(VisibilityMode.Frozen, frozen.Mode);
        Assert.Equal([("FR-07", 60.00m), ("KR-07", 50.01m), ("CN-07", 50.00m), ("IN-07", 0m)], frozen.Rows.Select(r => (r.CompetitorId, r.Raw)));
    }

    /// <summary>The skill's grain deactivated, as a node's restart does: the next call activates it from its stored state.</summary>
    static async Task RestartAsync(IEventGrain skill)
    {
        var before = await skill.GetStandings(live: true);
        await skill.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        // A new activation numbers its standings from the clock again, so its sequence differs from the last one's.
        Assert.True(await TestNode.EventuallyAsync(async () => (await skill.GetStandings(live: true)).Sequence != before.Sequence, TimeSpan.FromSeconds(10)),
            "the skill's grain was not deactivated");
    }

    /// <summary>
    /// A scheme change sent at the same moment as a skill's first mark: the mark was checked under the old scheme,
    /// so either it is written first and the change is refused (the skill has marks), or the change comes first and the
    /// mark, checked again under the new scheme, is refused (its aspect is gone). Never both (docs/scoring.md, "Rule
    /// changes and marks in flight"). Before the rules version was checked in the mark's transaction, both were
    /// accepted in about a third of such races, and the acknowledged mark lost its value.
    /// </summary>
    [Fact]
    public async Task ASchemeChange_RacingTheFirstMark_NeverLetsBothThrough()
    {
        var renamed = MarkingScenario.SchemeJson.Replace("\"A1.1\"", "\"A1.9\"", StringComparison.Ordinal);
        var both = 0;
        for (var trial = 0; trial < 16; trial++)
        {
            var number = Interlocked.Increment(ref _skills);
            var skill = cluster.Grains.GetGrain<IEventGrain>(SkillKey.Format("GRAIN", number));
            Assert.Empty((await skill.SetScheme(MarkingScenario.SchemeJson, 3, false, "test")).Errors);
            Assert.Empty((await skill.ImportCompetitors(Competitors, true, "test")).Errors);
            Assert.Empty((await skill.ImportExperts([new ExpertInfo("E-JP", "JP", "Sato Ken", ExpertRole.Expert)], "test")).Errors);
            Assert.Empty((await skill.SetMarkingGroups([new MarkingGroup("G1", "Machining", ["A"], ["E-JP"])], "test")).Errors);
            var sheet = cluster.Grains.GetGrain<IContestantGrain>(SkillKey.Contestant("GRAIN", number, "FR-07"));
            // The sheet is active, so the batch reads the rules at once and the change arrives while it is being written.
            Assert.Equal(0m, (await sheet.GetTotals()).Raw);

            var mark = sheet.Submit(new MarkBatch($"race-{trial}", "E-JP", "tablet", "FR-07", [new MarkEntry("A1.1", Achieved: true)]));
            var change = skill.SetScheme(renamed, 3, false, "test");
            var (marked, changed) = (await mark, await change);

            if (marked.Accepted && changed.Changed)
            {
                both++;
            }
            // What is stored agrees with the answers: the scheme the change left, and a sheet that holds the mark only if it was accepted.
            Assert.Equal(changed.Changed, (await skill.GetSchemeJson())!.Contains("A1.9", StringComparison.Ordinal));
            Assert.Equal(marked.Accepted ? 40m : 0m, (await sheet.GetTotals()).Raw);
        }
        Assert.Equal(0, both);
    }

    /// <summary>
    /// A batch is acknowledged once the skill's grain has taken its totals (docs/scoring.md, "Durability"). A batch that
    /// activates the skill's grain (after a restart) makes it read every sheet's totals, its own sheet's included, before it
    /// takes new ones: the sheet answers that read between the batch's steps (<see cref="IContestantGrain.GetTotals"/>), or
    /// the two grains would wait on each other until Orleans gave up on the call after 30 s. The batch here is given 15.
    /// </summary>
    [Fact]
    public async Task ABatchThatActivatesTheSkillsGrain_IsAnswered_AndInTheLiveStandings()
    {
        var skill = await SkillAsync();
        Assert.Empty((await skill.ImportExperts([new ExpertInfo("E-JP", "JP", "Sato Ken", ExpertRole.Expert)], "test")).Errors);
        Assert.Empty((await skill.SetMarkingGroups([new MarkingGroup("G1", "Machining", ["A", "B"], ["E-JP"])], "test")).Errors);
        var (competition, number) = SkillKey.Parse(skill.GetPrimaryKeyString());
        var sheet = cluster.Grains.GetGrain<IContestantGrain>(SkillKey.Contestant(competition, number, "KR-07"));
        Assert.True((await sheet.Submit(new MarkBatch("activate-1", "E-JP", "tablet", "KR-07", [new MarkEntry("A1.1", Achieved: true)]))).Accepted);
        Assert.Equal(40m, RawOf(await skill.GetStandings(live: true), "KR-07"));

        // The skill's grain goes, the sheet stays: the next batch brings the skill's grain back.
        await skill.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var second = await sheet.Submit(new MarkBatch("activate-2", "E-JP", "tablet", "KR-07", [new MarkEntry("B1.1", Achieved: true)]))
            .WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(second.Accepted);
        Assert.Equal(70m, RawOf(await skill.GetStandings(live: true), "KR-07"));
    }

    /// <summary>
    /// Found by an outside tester: two competitors files for one member, sent at the same moment, were each checked
    /// against the roster without the other and both stored. The skill grain applies imports one at a time and checks
    /// the rule again (docs/scoring.md, "Competitors per member").
    /// </summary>
    [Fact]
    public async Task ASecondCompetitorOfAMember_IsRefusedWhereImportsAreApplied()
    {
        var skill = await SkillAsync();
        var second = new CompetitorInfo("FR-07b", "FR", "Anne Petit", [new("Anne", "Petit")]);

        var refused = await skill.ImportCompetitors([second], true, "test");
        var error = Assert.Single(refused.Errors);
        Assert.Equal((1, "member", "roster.one-per-member"), (error.Row, error.Field, error.Code));
        Assert.DoesNotContain(await skill.GetCompetitors(), c => c.Id == "FR-07b");

        // Re-importing the member's own competitor is no conflict; a competition allowing several takes the second.
        Assert.Empty((await skill.ImportCompetitors([Competitors[0]], true, "test")).Errors);
        Assert.True((await skill.ImportCompetitors([second], false, "test")).Changed);
    }

    /// <summary>
    /// Found by an outside tester: an expert who had marked KR-07 was moved to member KR by a new experts file, and the
    /// mark, now a compatriot's, kept counting. Before any mark the member may change; after, it may not.
    /// </summary>
    [Fact]
    public async Task AnExpertsMember_CanChangeUntilTheFirstMark_NotAfter()
    {
        var skill = await SkillAsync();
        var number = SkillKey.Parse(skill.GetPrimaryKeyString()).Skill;
        Assert.Empty((await skill.ImportExperts([new ExpertInfo("E-JP", "JP", "Sato Ken", ExpertRole.Expert)], "test")).Errors);
        Assert.True((await skill.ImportExperts([new ExpertInfo("E-JP", "DE", "Sato Ken", ExpertRole.Expert)], "test")).Changed);
        Assert.Empty((await skill.SetMarkingGroups([new MarkingGroup("G1", "Machining", ["A"], ["E-JP"])], "test")).Errors);
        var sheet = cluster.Grains.GetGrain<IContestantGrain>(SkillKey.Contestant("GRAIN", number, "KR-07"));
        Assert.True((await sheet.Submit(new MarkBatch("member-1", "E-JP", "tablet", "KR-07", [new MarkEntry("A1.1", Achieved: true)]))).Accepted);

        var moved = await skill.ImportExperts([new ExpertInfo("E-JP", "KR", "Sato Ken", ExpertRole.Expert)], "test");

        var error = Assert.Single(moved.Errors);
        Assert.Equal((1, "member", "roster.expert-member-fixed"), (error.Row, error.Field, error.Code));
        Assert.Equal("DE", (await skill.GetExpert("E-JP"))!.MemberCode);
        // Other changes to the expert still go through.
        Assert.True((await skill.ImportExperts([new ExpertInfo("E-JP", "DE", "Ken Sato", ExpertRole.Expert)], "test")).Changed);
        // Nor may the competitor move: KR-07 to DE would make the expert's mark a compatriot's.
        var competitor = await skill.ImportCompetitors([Competitors[2] with { MemberCode = "DE" }], false, "test");
        Assert.Equal("roster.competitor-member-fixed", Assert.Single(competitor.Errors).Code);
        Assert.Equal("KR", (await skill.GetCompetitors()).Single(c => c.Id == "KR-07").MemberCode);
    }
}
