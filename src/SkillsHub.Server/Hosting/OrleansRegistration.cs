using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace SkillsHub.Server.Hosting;

public static class OrleansRegistration
{
    /// <summary>Grain storage name used by every SkillsHub grain.</summary>
    public const string StorageName = SkillsHub.Grains.StorageNames.Default;

    /// <summary>
    /// The silo's ports: Orleans:SiloPort (11111) and Orleans:GatewayPort, 0 unless set: no gateway. Every node hosts its
    /// own Orleans client, so SkillsHub needs no gateway, and an Orleans gateway asks nothing of whoever connects: anyone
    /// who reached it could call any grain, lock a criterion in another's name (found by an outside tester through the
    /// shipped configurations, which opened it on every address). docs/security.md, "Orleans ports".
    /// </summary>
    public static (int Silo, int Gateway) Ports(IConfiguration configuration) =>
        (configuration.GetValue("Orleans:SiloPort", 11111), configuration.GetValue("Orleans:GatewayPort", 0));

    /// <summary>
    /// The silo's settings, checked before the database is touched, each refusal one line naming its setting (an outside
    /// tester: a port of 70000 or an address that is not one ended in a stack trace after the migrations). The silo port is
    /// also tried: Orleans binds it so that another process binding it the same way shares it, so a second node on the
    /// same port started, declared the first one dead and ended it. Bound here without sharing, a port another node listens
    /// on is refused; one a stopped node left in TIME_WAIT is not.
    /// </summary>
    public static void CheckSettings(IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        var text = orleans["SiloPort"];
        var port = 11111;
        if (text is not null && !(int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535))
        {
            throw new Platform.StartupException($"Orleans:SiloPort must be a port from 1 to 65535 (not '{text}').");
        }
        // The gateway's port, the cluster's names and a silo port shared with the node's own web address were refused only once
        // the database had been migrated, or by a web server that could not bind (found by an outside tester).
        var gatewayText = orleans["GatewayPort"];
        var gateway = 0;
        if (gatewayText is not null && !(int.TryParse(gatewayText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out gateway) && gateway is >= 0 and <= 65535))
        {
            throw new Platform.StartupException($"Orleans:GatewayPort must be 0 (no gateway, the default) or a port up to 65535 (not '{gatewayText}').");
        }
        foreach (var name in new[] { "ClusterId", "ServiceId" })
        {
            if (orleans[name] is { } value && string.IsNullOrWhiteSpace(value))
            {
                throw new Platform.StartupException($"Orleans:{name} must not be blank: leave it out for the default, or name the cluster.");
            }
        }
        if (StartChecks.ListenAddresses(configuration).FirstOrDefault(a => a.Port == port) is { } web)
        {
            throw new Platform.StartupException($"Orleans:SiloPort {port} is also a port of Urls ({web}): give the silo a port of its own.");
        }
        // A gateway on the silo's own port was taken, and the node listened twice on it, the kernel handing the other nodes'
        // connections to either listener; one on a Urls port or a taken port was found only after the migrations, in a line
        // that named Orleans:SiloPort or Urls (found by an outside tester, docs/deployment.md "Start checks"). 0: no gateway.
        if (gateway > 0 && gateway == port)
        {
            throw new Platform.StartupException($"Orleans:GatewayPort {gateway} is also Orleans:SiloPort: give the gateway a port of its own, or 0 (no gateway, the default).");
        }
        if (gateway > 0 && StartChecks.ListenAddresses(configuration).FirstOrDefault(a => a.Port == gateway) is { } gatewayWeb)
        {
            throw new Platform.StartupException($"Orleans:GatewayPort {gateway} is also a port of Urls ({gatewayWeb}): give the gateway a port of its own, or 0 (no gateway, the default).");
        }
        var advertised = orleans["AdvertisedIP"];
        if (advertised is not null && !IPAddress.TryParse(advertised, out _))
        {
            throw new Platform.StartupException($"Orleans:AdvertisedIP must be an IP address (not '{advertised}').");
        }
        SiloTls.Load(configuration)?.Dispose();
        var anyAddress = orleans.GetValue("ListenOnAnyHostAddress", false);
        var address = anyAddress ? IPAddress.Any : IPAddress.Parse(advertised ?? "127.0.0.1");
        switch (TryBind(address, port))
        {
            case System.Net.Sockets.SocketError.AddressAlreadyInUse:
                throw new Platform.StartupException($"Orleans:SiloPort {port} is taken by another process or another node on this machine. Give each node its own Orleans:SiloPort and Urls.");
            case System.Net.Sockets.SocketError.AddressNotAvailable:
                throw new Platform.StartupException($"Orleans:AdvertisedIP {address} is not an address of this machine (set Orleans:ListenOnAnyHostAddress=true behind a NAT).");
        }
        if (gateway > 0 && TryBind(address, gateway) == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new Platform.StartupException($"Orleans:GatewayPort {gateway} is taken by another process or another node on this machine. Give each node its own ports, or leave Orleans:GatewayPort out (no gateway).");
        }
    }

    /// <summary>
    /// Tries to bind a port as a listener will, without sharing it: SO_REUSEADDR alone (SOL_SOCKET 1, SO_REUSEADDR 2; .NET's
    /// ReuseAddress also sets SO_REUSEPORT on Linux), so a port another process listens on fails and one a stopped node left
    /// in TIME_WAIT does not. Returns the error, or null when the port is free.
    /// </summary>
    public static System.Net.Sockets.SocketError? TryBind(IPAddress address, int port)
    {
        using var socket = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        }
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return null;
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.AddressAlreadyInUse or System.Net.Sockets.SocketError.AddressNotAvailable)
        {
            return e.SocketErrorCode;
        }
    }

    /// <summary>
    /// The co-hosted silo: ADO.NET clustering, grain storage (plain JSON in jsonb) and reminders, all on
    /// PostgreSQL with SkillsHub's own SQL (storage migrations 0002-0004). Ports are configuration so
    /// several nodes can run on one machine.
    /// </summary>
    public static WebApplicationBuilder AddSkillsHubOrleans(this WebApplicationBuilder builder, string connectionString)
    {
        var orleans = builder.Configuration.GetSection("Orleans");
        var (siloPort, gatewayPort) = Ports(builder.Configuration);
        var advertisedAddress = IPAddress.Parse(orleans["AdvertisedIP"] ?? "127.0.0.1");

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans["ClusterId"] ?? "skillshub";
                o.ServiceId = orleans["ServiceId"] ?? "skillshub";
            });
            silo.ConfigureEndpoints(advertisedAddress, siloPort, gatewayPort, listenOnAnyHostAddress: orleans.GetValue("ListenOnAnyHostAddress", false));
            // Mutual TLS between nodes when the cluster has a certificate (docs/security.md, "Orleans ports").
            if (SiloTls.Load(builder.Configuration) is { } certificate)
            {
                SiloTls.Use(silo, certificate);
            }
            // A node the cluster declared dead (another cluster certificate, or none) ends in one line naming the likely cause and
            // exit code 1, not Orleans' FailFast (docs/security.md, "Orleans ports"). Orleans registered its own handler already.
            silo.Services.RemoveAll<Orleans.Runtime.IFatalErrorHandler>();
            silo.Services.AddSingleton<Orleans.Runtime.IFatalErrorHandler, ClusterFatalErrors>();
            // A node writes its heartbeat to the membership table every 5 s (Orleans' default is 30 s), so the row of a
            // node that died without a word is stale after 15 s instead of 90. A starting node waits for every Active
            // member to answer and only probes (then declares dead) members whose row is stale: with the default, a
            // restart after another node's crash waited about 105 s before it listened (docs/deployment.md,
            // "A node that dies without a word").
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.NumMissedTableIAmAliveLimit = 3;
            });
            // Where other nodes' grains live is cached for at most 100,000 grains. A venue has a few thousand (a grain per
            // competitor, expert, skill and competition); Orleans' default of a million preallocates about 8 MB of buckets in
            // every node, which every full collection scans and every membership change walks (docs/deployment.md, "Where
            // other nodes' grains live").
            silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 100_000);
            // The provider defaults to SQL Server's invariant; ours is always Npgsql.
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            // Grain state is stored as plain JSON (jsonb), readable and queryable in PostgreSQL.
            silo.UseSystemTextJsonGrainStorageSerializer();
            // jsonb reorders keys, so no reference-tracking metadata and no ordering assumptions.
            silo.Services.Configure<Orleans.Serialization.SystemTextJsonGrainStorageSerializerOptions>(o =>
            {
                o.JsonSerializerOptions.ReferenceHandler = null;
                o.JsonSerializerOptions.AllowOutOfOrderMetadataProperties = true;
            });
            silo.Services.AddSingleton<SkillsHub.Storage.AuditLog>();
            silo.Services.AddSingleton<SkillsHub.Storage.MarkStore>();
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            if (orleans.GetValue<double?>("MinimumReminderPeriodSeconds") is { } minimumPeriod)
            {
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(minimumPeriod));
            }
        });
        return builder;
    }
}
