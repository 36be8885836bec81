namespace SkillsHub.Grains;

/// <summary>Configuration "Leaderboards": how often one skill may push new standings (last value wins).</summary>
public sealed class LeaderboardOptions
{
    public double PushesPerSecond { get; set; } = 4;

    public TimeSpan Interval => TimeSpan.FromSeconds(1 / Math.Clamp(PushesPerSecond, 0.1, 50));
}
