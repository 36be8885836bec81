using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using SkillsHub.Grains;

namespace SkillsHub.Server.Tests;

/// <summary>
/// An in-process Orleans cluster (Orleans.TestingHost): one silo with SkillsHub's grains, grain state in memory,
/// no HTTP and no PostgreSQL. For grain behaviour where HTTP adds nothing; the grains that write SQL
/// (contestant sheets, the audit) and everything the API adds are tested through a node (docs/testing.md).
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Silo>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }

    public sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(StorageNames.Default);
            siloBuilder.Services.TryAddSingleton(TimeProvider.System);
            siloBuilder.Services.Configure<LeaderboardOptions>(_ => { });
        }
    }
}
