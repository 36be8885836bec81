using SkillsHub.Abstractions;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>A skill's final results with the standings sequence they came from.</summary>
public sealed record FinalResults(SkillResults Results, long Sequence);

/// <summary>Where promotions read competition results from. Only published standings may promote.</summary>
public interface IPublishedResultsSource
{
    Task<FinalResults?> GetFinalAsync(string competition, int skill, string skillName, CancellationToken ct);
}

/// <summary>Reads the event grain's non-live standings; Published is passed through and checked by the Domain rule.</summary>
sealed class GrainPublishedResults(IGrainFactory grains, ILogger<GrainPublishedResults> logger) : IPublishedResultsSource
{
    public async Task<FinalResults?> GetFinalAsync(string competition, int skill, string skillName, CancellationToken ct)
    {
        try
        {
            var standings = await grains.GetGrain<IEventGrain>(SkillKey.Format(competition, skill)).GetStandings(live: false);
            if (standings is null)
            {
                return null;
            }
            var rows = standings.Rows.SelectMany(r => PublishedRow.ForEachPerson(r.Place, r.CompetitorId, r.Name, r.MemberCode, r.Award,
                r.People.Select(p => Domain.Text.PersonNames.Display(p.FirstName, p.LastName)).ToList())).ToList();
            return new FinalResults(new SkillResults(competition, skill, skillName, standings.Published, rows), standings.Sequence);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "No standings for {Competition} skill {Skill}", competition, skill);
            return null;
        }
    }
}
