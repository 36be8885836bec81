using Npgsql;
using SkillsHub.Server.Hosting;

namespace SkillsHub.Server.Tests;

/// <summary>Which failures answer "Database unavailable" and which "Timed out" (docs/scoring.md, "Limits and identifiers").</summary>
public sealed class OutageClassificationTests
{
    [Fact]
    public void DatabaseErrorThatCouldNotCrossSilos_IsDatabaseUnavailable() =>
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(
            new Orleans.Serialization.CodecNotFoundException("Could not find a codec for type Npgsql.NpgsqlException.")));

    [Fact]
    public void ConnectionFailure_IsDatabaseUnavailable() =>
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(new InvalidOperationException("wrapped", new NpgsqlException("down", new System.Net.Sockets.SocketException()))));

    [Fact]
    public void SlowGrainCall_IsATimeout_NotADatabaseOutage()
    {
        var slow = new TimeoutException("Response did not arrive on time in 00:00:30 for message: Request ContestantGrain.Submit");
        Assert.False(DatabaseUnavailableHandler.IsDatabaseUnavailable(slow));
        Assert.True(DatabaseUnavailableHandler.IsTimeout(slow));
    }

    [Fact]
    public void OtherCodecErrors_AreNotDatabaseOutages() =>
        Assert.False(DatabaseUnavailableHandler.IsDatabaseUnavailable(new Orleans.Serialization.CodecNotFoundException("Could not find a codec for type Foo.")));
}
