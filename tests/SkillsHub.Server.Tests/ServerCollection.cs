global using SkillsHub.Testing;

namespace SkillsHub.Server.Tests;

/// <summary>
/// The server tests' collections. Collections run side by side, each on a private PostgreSQL of its own; the
/// classes of one collection run one after another (docs/testing.md, "Collections"). A class joins the collection
/// of its area with <c>[Collection(ServerCollection.Marking)]</c> and so on.
/// </summary>
public static class ServerCollection
{
    /// <summary>Marks, boards, results, the judging report.</summary>
    public const string Marking = "marking";

    /// <summary>What other programs and the outside see: the API contract, CORS, MessagePack, every endpoint by role, input rules.</summary>
    public const string Interop = "interop";

    /// <summary>The open results feed: its followers, its storage, its retries.</summary>
    public const string Feed = "feed";

    /// <summary>Agencies, candidates, ratings, certificates, promotions.</summary>
    public const string Certification = "certification";

    /// <summary>Whole certification runs (upload, rate, issue, look up) and what the exam date decides.</summary>
    public const string CertificationRuns = "certification runs";

    /// <summary>Credentials, Open Badges, the public registry and its lookups.</summary>
    public const string Credentials = "credentials";

    /// <summary>Shared keys across nodes, first starts.</summary>
    public const string Cluster = "cluster";

    /// <summary>Several nodes: sessions seen by every node, a stopped node let go, live connections.</summary>
    public const string Nodes = "nodes";

    /// <summary>
    /// Orleans' providers on PostgreSQL: membership, reminders, grain state. Its tests mostly wait (a dead member's row
    /// going stale, a reminder's period), so they run beside the busy rest rather than at the end of a longer collection.
    /// </summary>
    public const string Membership = "membership";

    /// <summary>Database outages and restarts.</summary>
    public const string Outages = "outages";

    /// <summary>The server as a process: refused settings, signals, kills, a stop with its database gone.</summary>
    public const string Processes = "processes";

    /// <summary>The embedded PostgreSQL and the demo seed.</summary>
    public const string Embedded = "embedded";

    /// <summary>Proxies, rate limits, headers, the public address, job progress, metrics.</summary>
    public const string Platform = "platform";
}

[CollectionDefinition(ServerCollection.Marking)]
public sealed class MarkingCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Interop)]
public sealed class InteropCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Feed)]
public sealed class FeedCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Certification)]
public sealed class CertificationCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.CertificationRuns)]
public sealed class CertificationRunsCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Credentials)]
public sealed class CredentialsCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Cluster)]
public sealed class ClusterCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Nodes)]
public sealed class NodesCollection : ICollectionFixture<PostgresFixture>;

// The outage, process and embedded tests start PostgreSQL servers of their own (to kill, restart or embed them): these
// collections hold no shared one.
[CollectionDefinition(ServerCollection.Membership)]
public sealed class MembershipCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(ServerCollection.Outages)]
public sealed class OutagesCollection;

[CollectionDefinition(ServerCollection.Processes)]
public sealed class ProcessesCollection;

[CollectionDefinition(ServerCollection.Embedded)]
public sealed class EmbeddedCollection;

[CollectionDefinition(ServerCollection.Platform)]
public sealed class PlatformCollection : ICollectionFixture<PostgresFixture>;

