using Microsoft.AspNetCore.Http;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Settings the parts made or started after the database read, checked with the node's other settings before its database
/// is touched (<see cref="SkillsHubNode.CreateAsync"/>, docs/deployment.md "Found by an outside tester"): each was refused
/// only once the start had gone far, after lines of its log, or not at all. The parts read them again with the same readers.
/// </summary>
static class StartChecks
{
    public static void Check(IConfiguration configuration)
    {
        foreach (var address in ListenAddresses(configuration))
        {
            CheckFree(address);
        }
        OrleansRegistration.CheckSettings(configuration);
        CheckEmbeddedPort(configuration);
        Certification.CertificationRegistration.Schedules(configuration);
        Security.RequestForgeryOptions.Read(configuration);
        Certification.PromotionMembers.Read(configuration);
        CheckFirstAdmin(configuration);
    }

    /// <summary>
    /// The addresses Kestrel is to listen on (<c>Urls</c>, <c>ASPNETCORE_URLS</c>), read as Kestrel reads them: Kestrel reads
    /// them only once the silo has joined its cluster, so an outside tester's <c>--Urls=notaurl</c> was refused after the
    /// database had been migrated and the silo had come and gone. The one reading of them: the ports the embedded PostgreSQL
    /// keeps off come from it too (<see cref="SkillsHubDatabase.NodePorts"/>).
    /// </summary>
    public static IReadOnlyList<BindingAddress> ListenAddresses(IConfiguration configuration)
    {
        var addresses = new List<BindingAddress>();
        foreach (var url in (configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
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
    /// The embedded PostgreSQL's port (<c>Embedded:Port</c>, 0 for any free one) is a port, and not one the node binds itself
    /// (found by an outside tester: 70000 or the node's own web or silo port were refused by PostgreSQL, after initdb).
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
}
