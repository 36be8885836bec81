using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Settings the parts made or started after the database read, checked with the node's other settings before its database
/// is touched (<see cref="SkillsHubNode.CreateAsync"/>, docs/deployment.md "Start checks"): each was refused
/// only once the start had gone far, after lines of its log, or not at all. The parts read them again with the same readers.
/// </summary>
static class StartChecks
{
    public static void Check(IConfiguration configuration)
    {
        var addresses = ListenAddresses(configuration);
        CheckHttpsCertificate(configuration, addresses);
        CheckListedOnce(addresses);
        foreach (var address in addresses)
        {
            CheckFree(address);
        }
        CheckEmbeddedDataDirectory(configuration);
        OrleansRegistration.CheckSettings(configuration);
        CheckEmbeddedPort(configuration);
        Certification.CertificationRegistration.Schedules(configuration);
        Security.RequestForgeryOptions.Read(configuration);
        Certification.PromotionMembers.Read(configuration);
        CheckFirstAdmin(configuration);
        CheckSecrets(configuration);
    }

    /// <summary>
    /// The addresses Kestrel is to listen on (<c>Urls</c>, <c>ASPNETCORE_URLS</c>), read as Kestrel reads them: Kestrel reads
    /// them only once the silo has joined its cluster, so an outside tester's <c>--Urls=notaurl</c> was refused after the
    /// database had been migrated and the silo had come and gone. The one reading of them: the ports the embedded PostgreSQL
    /// keeps off come from it too (<see cref="SkillsHubDatabase.NodePorts"/>). <c>Urls</c> empty or left out is read as Kestrel
    /// reads it: <c>HTTP_PORTS</c> and <c>HTTPS_PORTS</c> on every address, or else its default, http://localhost:5000, unless
    /// <c>Kestrel:Endpoints</c> name its addresses (found by an outside tester: <c>--Urls=</c> passed the check, the database
    /// was migrated, and Kestrel could not bind a port 5000 another process held, docs/deployment.md "Start checks").
    /// </summary>
    public static IReadOnlyList<BindingAddress> ListenAddresses(IConfiguration configuration)
    {
        var addresses = new List<BindingAddress>();
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            static IEnumerable<string> Ports(string? ports, string scheme) =>
                (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"{scheme}://*:{port}");
            urls = string.Join(';', Ports(configuration[WebHostDefaults.HttpPortsKey], "http").Concat(Ports(configuration[WebHostDefaults.HttpsPortsKey], "https")));
            if (urls.Length == 0 && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
            {
                urls = KestrelDefault;
            }
        }
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress? address = null;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
            }
            if (address is null || !(address.Scheme.ToLowerInvariant() is "http" or "https") || address.Port is < 0 or > 65535 || address.PathBase.Length > 0)
            {
                throw new StartupException($"Urls must be addresses to listen on, such as http://0.0.0.0:5000, separated by ';' (not '{url}').");
            }
            addresses.Add(address);
        }
        return addresses;
    }

    /// <summary>Where Kestrel listens when nothing names its addresses.</summary>
    public const string KestrelDefault = "http://localhost:5000";

    /// <summary>
    /// A port listed twice in <c>Urls</c> is refused (found by an outside tester: http://127.0.0.1:5024;http://127.0.0.1:5024
    /// passed the check, the database was migrated, then Kestrel's second listener could not bind, in a line that did not
    /// name Urls). Two different IP addresses on one port (http://127.0.0.1:5000;http://[::1]:5000) are two listeners: taken.
    /// </summary>
    static void CheckListedOnce(IReadOnlyList<BindingAddress> addresses)
    {
        static System.Net.IPAddress? Ip(string host) =>
            System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && !ip.Equals(System.Net.IPAddress.Any) && !ip.Equals(System.Net.IPAddress.IPv6Any) ? ip : null;
        for (var i = 0; i < addresses.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var (first, second) = (addresses[j], addresses[i]);
                if (first.Port == second.Port && first.Port > 0 && !(Ip(first.Host) is { } a && Ip(second.Host) is { } b && !a.Equals(b)))
                {
                    throw new StartupException($"Urls: port {first.Port} is listed twice ({first} and {second}): the node cannot listen on one port twice. List each address once.");
                }
            }
        }
    }

    /// <summary>
    /// A listen address's port that another process listens on is refused before the database is touched (found by an
    /// outside tester: the node migrated and seeded its database and joined its cluster, and only then could not bind). Tried
    /// as the silo port is (<see cref="OrleansRegistration.CheckSettings"/>): bound with SO_REUSEADDR alone, so a port a
    /// stopped node left in TIME_WAIT is not refused. Port 0 (any free port) and host names other than localhost are left
    /// to Kestrel.
    /// </summary>
    static void CheckFree(BindingAddress address)
    {
        var host = address.Host;
        System.Net.IPAddress? ip = host is "*" or "+" ? System.Net.IPAddress.Any
            : string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null;
        if (address.Port <= 0 || ip is null)
        {
            return;
        }
        switch (OrleansRegistration.TryBind(ip, address.Port))
        {
            case System.Net.Sockets.SocketError.AddressAlreadyInUse:
                throw new StartupException($"Urls: port {address.Port} ({address}) is taken by another process or another node on this machine. Give each node its own Urls and Orleans:SiloPort.");
            case System.Net.Sockets.SocketError.AddressNotAvailable:
                throw new StartupException($"Urls: {address.Host} is not an address of this machine ({address}).");
        }
    }

    /// <summary>
    /// An <c>https</c> listen address needs a server certificate (found by an outside tester: Kestrel refused it only after the
    /// database had been migrated and seeded). SkillsHub serves HTTP behind the proxy that ends TLS (docs/deployment.md, "TLS
    /// ends at the proxy"); Kestrel takes a certificate from <c>Kestrel:Certificates:Default</c>, or the ASP.NET Core
    /// development certificate of the user it runs as. Kestrel's own <c>Kestrel:Endpoints</c> replace <c>Urls</c>: left to it.
    /// </summary>
    static void CheckHttpsCertificate(IConfiguration configuration, IReadOnlyList<BindingAddress> addresses)
    {
        if (addresses.FirstOrDefault(a => string.Equals(a.Scheme, "https", StringComparison.OrdinalIgnoreCase)) is not { } https
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any()
            || !string.IsNullOrWhiteSpace(configuration["Kestrel:Certificates:Default:Path"])
            || !string.IsNullOrWhiteSpace(configuration["Kestrel:Certificates:Default:Subject"])
            || HasDevelopmentCertificate())
        {
            return;
        }
        throw new StartupException($"Urls: {https} is HTTPS and Kestrel has no server certificate for it. SkillsHub serves HTTP behind the proxy that ends TLS (docs/deployment.md): "
            + "give Urls an http:// address, or give Kestrel a certificate with Kestrel:Certificates:Default:Path (and Kestrel:Certificates:Default:Password, or KeyPath for a PEM key).");
    }

    /// <summary>Whether the user has a valid ASP.NET Core development certificate (what Kestrel falls back on, found by its OID).</summary>
    static bool HasDevelopmentCertificate()
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException)
        {
            return false;
        }
        var found = false;
        foreach (var certificate in store.Certificates)
        {
            found |= certificate.Extensions["1.3.6.1.4.1.311.84.1.1"] is not null && certificate.HasPrivateKey
                && certificate.NotBefore <= DateTime.Now && DateTime.Now <= certificate.NotAfter;
            certificate.Dispose();
        }
        return found;
    }

    /// <summary>
    /// The embedded PostgreSQL's folder (<c>Embedded:DataDirectory</c>, read when no <c>ConnectionStrings:Postgres</c> is set) is
    /// one that can be made on a disk (found by an outside tester: empty, a file, or a path under /proc were refused by the
    /// runtime in lines that did not name the setting).
    /// </summary>
    static void CheckEmbeddedDataDirectory(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")) || configuration["Embedded:DataDirectory"] is not { } text)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new StartupException("Embedded:DataDirectory is empty: leave it out for .data/postgres under the working directory, or name a folder.");
        }
        string path;
        try
        {
            path = Path.GetFullPath(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StartupException($"Embedded:DataDirectory '{text}' is not a path ({e.Message.TrimEnd('.')}).");
        }
        foreach (var kernel in new[] { "/proc", "/sys", "/dev" })
        {
            if (path == kernel || path.StartsWith(kernel + "/", StringComparison.Ordinal))
            {
                throw new StartupException($"Embedded:DataDirectory '{text}' is under {kernel}, the kernel's, not a disk's: name a folder on a disk.");
            }
        }
        for (var folder = path; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new StartupException(folder == path ? $"Embedded:DataDirectory '{text}' is a file: name a folder (it is made if missing)."
                    : $"Embedded:DataDirectory '{text}' is inside '{folder}', which is a file: name a folder (it is made if missing).");
            }
        }
    }

    /// <summary>
    /// The embedded PostgreSQL's port (<c>Embedded:Port</c>, 0 for any free one) is a port, and not one the node binds itself
    /// (found by an outside tester: 70000 or the node's own web or silo port were refused by PostgreSQL, after initdb), nor
    /// one another process listens on (docs/deployment.md, "Start checks").
    /// </summary>
    static void CheckEmbeddedPort(IConfiguration configuration)
    {
        if (configuration["Embedded:Port"] is not { } text)
        {
            return;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new StartupException($"Embedded:Port must be 0 (any free port, the default) or a port up to 65535 (not '{text}').");
        }
        // The ports a free embedded port is kept off (SkillsHubDatabase.NodePorts), read once the silo's are checked.
        if (port > 0 && SkillsHubDatabase.NodePorts(configuration).Contains(port))
        {
            throw new StartupException($"Embedded:Port {port} is also one of the node's own ports (Urls, Orleans:SiloPort): give the private PostgreSQL a port of its own, or 0.");
        }
        // A port another process listens on was found only by PostgreSQL, after initdb, in a line not naming the setting (an
        // outside tester): tried as the node's own ports are. A data directory with a PID file may hold this directory's own
        // server, left by a node that died, which the start stops (PrivatePostgres.StartAsync): its port is left to it then.
        if (port > 0 && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"))
            && !File.Exists(Path.Combine(SkillsHubDatabase.PreferredDataDirectory(configuration), "postmaster.pid"))
            && OrleansRegistration.TryBind(System.Net.IPAddress.Loopback, port) == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new StartupException($"Embedded:Port {port} is taken by another process on this machine: give the private PostgreSQL a port of its own, or 0 (any free port).");
        }
    }

    /// <summary>
    /// The first admin's password follows the rule every password does (docs/security.md). It was checked only when the
    /// admin was about to be made, once the node had migrated its database and started its silo (an outside tester): now
    /// whenever it is set, so settings left in place after the first start must follow the rule too.
    /// </summary>
    static void CheckFirstAdmin(IConfiguration configuration)
    {
        var password = configuration["Bootstrap:AdminPassword"];
        if (!string.IsNullOrWhiteSpace(password)
            && Domain.Text.SignInText.PasswordFault(password, configuration["Bootstrap:AdminUser"], "Bootstrap:AdminPassword") is { } fault)
        {
            throw new StartupException($"Bootstrap:AdminPassword is not acceptable: {fault}");
        }
    }

    /// <summary>The shortest scrape token taken: 16 characters (openssl rand -hex 32 gives 64).</summary>
    public const int ScrapeTokenMinimum = 16;

    /// <summary>
    /// A key given twice (the value and a file: which one sealed the agencies' signing keys could not be told), and a scrape
    /// token that is blank, short or holds spaces (taken, and compared with what scrapers send), are refused (found by an
    /// outside tester, docs/deployment.md "Start checks"). An empty value is a setting left out.
    /// </summary>
    static void CheckSecrets(IConfiguration configuration)
    {
        foreach (var section in new[] { "Credentials", "DataProtection" })
        {
            if (!string.IsNullOrWhiteSpace(configuration[$"{section}:KeyEncryptionKey"]) && !string.IsNullOrEmpty(configuration[$"{section}:KeyEncryptionKeyFile"]))
            {
                throw new StartupException($"{section}:KeyEncryptionKey and {section}:KeyEncryptionKeyFile are both set: give one of them.");
            }
        }
        if (configuration["Metrics:ScrapeToken"] is { Length: > 0 } token && token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) is var spaced
            && (token.Length < ScrapeTokenMinimum || spaced))
        {
            // A secret: the refusal says what is wrong with it, never the value (an outside tester found a mistyped token
            // written whole to the journal).
            var spaces = spaced ? ", with spaces or control characters" : "";
            throw new StartupException($"Metrics:ScrapeToken must be at least {ScrapeTokenMinimum} characters without spaces, such as from openssl rand -hex 32, or left out (the value given has {token.Length} character{(token.Length == 1 ? "" : "s")}{spaces}; a secret is not shown).");
        }
    }
}
