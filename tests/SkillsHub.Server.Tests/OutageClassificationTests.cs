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

    [Theory]
    [InlineData("53100", "could not extend file \"base/16384/2619\": No space left on device")]
    [InlineData("53200", "out of memory")]
    [InlineData("58030", "could not read block 0")]
    [InlineData("XX000", "could not write init file")]
    public void AFullDiskOrAServerResourceError_IsDatabaseUnavailable(string state, string message) =>
        // Found by an outside tester: marks sent to a node whose database disk was full answered 500.
        Assert.True(DatabaseUnavailableHandler.IsDatabaseUnavailable(new PostgresException(message, "ERROR", "ERROR", state)));

    [Theory]
    [InlineData("23505", "duplicate key value violates unique constraint")]
    [InlineData("XX000", "cache lookup failed for type 1")]
    public void AConstraintOrAnInternalError_IsNotAnOutage(string state, string message) =>
        Assert.False(DatabaseUnavailableHandler.IsDatabaseUnavailable(new PostgresException(message, "ERROR", "ERROR", state)));

    [Fact]
    public void OtherCodecErrors_AreNotDatabaseOutages() =>
        Assert.False(DatabaseUnavailableHandler.IsDatabaseUnavailable(new Orleans.Serialization.CodecNotFoundException("Could not find a codec for type Foo.")));
}
