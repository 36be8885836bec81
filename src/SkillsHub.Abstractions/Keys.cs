using System.Globalization;

namespace SkillsHub.Abstractions;

/// <summary>Grain keys. A skill is keyed by (competition code, number): numbers are reassigned between events.</summary>
public static class SkillKey
{
    public static string Format(string competition, int skill) => $"{competition.ToUpperInvariant()}/{skill.ToString("00", CultureInfo.InvariantCulture)}";

    public static (string Competition, int Skill) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return (key[..slash], int.Parse(key[(slash + 1)..], CultureInfo.InvariantCulture));
    }

    public static string Contestant(string competition, int skill, string competitorId) => $"{Format(competition, skill)}/{competitorId}";

    public static string Judge(string competition, int skill, string expertId) => $"{Format(competition, skill)}/{expertId}";
}
