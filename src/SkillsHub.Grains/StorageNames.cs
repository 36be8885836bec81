namespace SkillsHub.Grains;

public static class StorageNames
{
    /// <summary>The grain storage every SkillsHub grain uses (Orleans ADO.NET on PostgreSQL, JSON state).</summary>
    public const string Default = "skillshub";
}
