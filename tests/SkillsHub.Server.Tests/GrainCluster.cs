using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;
using Npgsql;
using SkillsHub.Grains;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// An in-process Orleans cluster (Orleans.TestingHost): one silo with SkillsHub's grains, grain state in memory,
/// no HTTP. The audit log the skill grain writes goes to a real, migrated database of the collection's
/// PostgreSQL. For grain behaviour where HTTP adds nothing; the contestant sheets and everything the API adds
/// are tested through a node (docs/testing.md).
/// </summary>
public sealed class GrainCluster(PostgresFixture postgres) : IAsyncLifetime
{
    // The silo is built by type inside this process, so it reads the database from here.
    static string? _database;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The skill grains' push window in this cluster.</summary>
    public static readonly TimeSpan PushWindow = TimeSpan.FromSeconds(10);

    /// <summary>A competition whose skills' public views reach it <see cref="MessageDelay"/> after they are sent.</summary>
    public const string LateCompetition = "LATE";

    public static readonly TimeSpan MessageDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A competition whose skills' first hidden view is lost on its way to it (the call fails, as one to a node that went
    /// down would): the skill must tell it again.
    /// </summary>
    public const string LossyCompetition = "LOSSY";

    static int _hiddenViewsLost;

    public async Task InitializeAsync()
    {
        _database = await postgres.NewDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(_database))
        {
            await DatabaseMigrator.MigrateAsync(db);
        }
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
            // The longest push window there is (one push in 10 s), so a test can tell a read that shows a change from the
            // paced push that would show it later (EventGrainTests.TheJurysRead_ShowsATotalBeforeItsPacedPush).
            siloBuilder.Services.Configure<LeaderboardOptions>(o => o.PushesPerSecond = 1 / PushWindow.TotalSeconds);
            siloBuilder.Services.AddSingleton(_ => NpgsqlDataSource.Create(_database ?? throw new InvalidOperationException("No database.")));
            siloBuilder.Services.AddSingleton<AuditLog>();
            siloBuilder.Services.AddSingleton<MarkStore>();
            // What a competition grain on another node would see: a skill's public view arriving a while after it was sent
            // (LATE...), or a hidden view lost on its way once (LOSSY...). EventGrainTests.AVisibilityChange_IsInTheResults_….
            siloBuilder.AddOutgoingGrainCallFilter(async context =>
            {
                if (context.MethodName == nameof(SkillsHub.Abstractions.ICompetitionGrain.SkillChanged))
                {
                    var competition = context.TargetId.Key.ToString();
                    if (competition.StartsWith(LateCompetition, StringComparison.Ordinal))
                    {
                        await Task.Delay(MessageDelay);
                    }
                    if (competition.StartsWith(LossyCompetition, StringComparison.Ordinal)
                        && context.Request.GetArgument(0) is SkillsHub.Abstractions.Standings { Mode: SkillsHub.Abstractions.VisibilityMode.Hidden }
                        && Interlocked.Exchange(ref _hiddenViewsLost, 1) == 0)
                    {
                        throw new TimeoutException("The hidden view was lost on its way (GrainCluster.LossyCompetition).");
                    }
                }
                await context.Invoke();
            });
        }
    }
}
