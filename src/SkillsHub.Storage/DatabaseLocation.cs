namespace SkillsHub.Storage;

/// <summary>
/// Where the node's database lives, for the services that adapt to it (the demo seeders, the first
/// admin's bootstrap): embedded (a private server whose data directory holds the demo credentials) or
/// configured by connection string. Registered by the host; read without depending on it.
/// </summary>
public sealed record DatabaseLocation(bool IsEmbedded, string? DataDirectory);
