using SkillsHub.Abstractions;

namespace SkillsHub.Grains;

[GenerateSerializer, Alias("SkillsHub.CompetitionState")]
public sealed class CompetitionState
{
    [Id(0)] public SortedSet<int> Skills { get; set; } = [];
}

/// <summary>
/// A competition's skills that have live events, with the latest public standings each event pushed.
/// Overall results (medal table, Best of Nation, Albert Vidal, member reports) are built from these
/// precomputed standings by the domain rules.
/// </summary>
[GrainType("competition")]
public sealed class CompetitionGrain(
    [PersistentState("competition", StorageNames.Default)] IPersistentState<CompetitionState> state) : Grain, ICompetitionGrain
{
    readonly Dictionary<int, Standings> _public = [];

    Task ICompetitionGrain.SkillChanged(Standings standings)
    {
        if (!_public.TryGetValue(standings.SkillNumber, out var known) || known.Sequence < standings.Sequence)
        {
            _public[standings.SkillNumber] = standings;
        }
        return Task.CompletedTask;
    }

    async Task ICompetitionGrain.RegisterSkill(int skillNumber)
    {
        if (state.State.Skills.Add(skillNumber))
        {
            await state.WriteStateAsync();
        }
    }

    async Task<IReadOnlyList<Standings>> ICompetitionGrain.GetSkillStandings(bool live)
    {
        var code = this.GetPrimaryKeyString();
        var result = new List<Standings>();
        foreach (var skill in state.State.Skills)
        {
            if (!live && _public.TryGetValue(skill, out var cached))
            {
                result.Add(cached);
                continue;
            }
            var standings = await GrainFactory.GetGrain<IEventGrain>(SkillKey.Format(code, skill)).GetStandings(live);
            if (!live)
            {
                _public[skill] = standings;
            }
            result.Add(standings);
        }
        return result;
    }
}
