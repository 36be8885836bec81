using SkillsHub.Server.Hosting;
using Xunit;

namespace SkillsHub.Testing;

/// <summary>
/// One real SkillsHub node shared by every test of a class (an xunit class fixture), on its own database of the
/// collection's private PostgreSQL; the plain fixture's node is shared by every class of the collection that uses it. A node takes seconds to boot; a test takes milliseconds. Tests that share it
/// keep apart by naming their own things: <see cref="MarkingScenario.CreateAsync(SkillsHubNode, string)"/> with
/// <see cref="NewCode"/> for a competition of their own, their own account names and agencies, and counts
/// filtered to what they created.
/// <para>
/// Use it as <c>[Collection(ServerCollection.Marking)] sealed class XTests(NodeFixture shared) : IClassFixture&lt;NodeFixture&gt;</c>.
/// For other settings, derive: <c>sealed class LimitedNode(PostgresFixture p) : NodeFixture(p) { protected override
/// string[] Arguments =&gt; ["--Key=value"]; }</c>; for data every test reads, override <see cref="SetUpAsync"/>. A test that restarts, stops or breaks its node, changes settings
/// mid-test, runs two nodes, or depends on a fresh database starts its own with <see cref="TestNode.StartAsync"/>
/// (docs/testing.md).
/// </para>
/// </summary>
public class NodeFixture(PostgresFixture postgres) : IAsyncLifetime
{
    static int _codes;
    SkillsHubNode? _node;

    public SkillsHubNode Node => _node ?? throw new InvalidOperationException("Not started.");

    /// <summary>The node's database (a connection string), for tests that check rows directly.</summary>
    public string Database { get; private set; } = "";

    /// <summary>Extra command-line settings for the node.</summary>
    protected virtual string[] Arguments => [];

    /// <summary>Data every test of the class reads and none changes, set up once after the node starts.</summary>
    protected virtual Task SetUpAsync() => Task.CompletedTask;

    /// <summary>A competition code no other test in this process uses (3 to 16 capital letters or digits).</summary>
    public static string NewCode(string prefix = "T") => $"{prefix}{Interlocked.Increment(ref _codes):0000}";

    /// <summary>
    /// A plain NodeFixture (default settings, nothing set up) is the collection's shared node
    /// (<see cref="PostgresFixture.SharedNodeAsync"/>): one node start for all such classes of a collection. A derived
    /// fixture, with settings or data of its own, starts a node of its own.
    /// </summary>
    bool Shared => GetType() == typeof(NodeFixture);

    public async Task InitializeAsync()
    {
        if (Shared)
        {
            (_node, Database) = await postgres.SharedNodeAsync();
            return;
        }
        Database = await postgres.NewDatabaseAsync();
        _node = await TestNode.StartAsync(Database, Arguments);
        await SetUpAsync();
    }

    public async Task DisposeAsync()
    {
        if (_node is not null && !Shared)
        {
            await _node.DisposeAsync();
        }
    }
}
