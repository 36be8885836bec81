namespace SkillsHub.Server.Platform;

/// <summary>
/// A setting that lists values: given as an array (<c>Proxy:KnownProxies:0</c>, <c>:1</c> ..., as appsettings.json writes
/// one) or as one comma-separated value (<c>--Security:AllowedOrigins=https://a.example,https://b.example</c>, an environment
/// variable). Empty entries are skipped.
/// </summary>
public static class ListSetting
{
    public static IReadOnlyList<string> Values(IConfiguration configuration, string key)
    {
        var list = configuration.GetSection(key);
        var values = list.Value is { Length: > 0 } single ? single.Split(',') : list.GetChildren().Select(c => c.Value ?? "");
        return values.Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }
}
