global using SkillsHub.Testing;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Server tests host Hangfire, whose configuration is static, and Orleans silos: they run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "server";
}
