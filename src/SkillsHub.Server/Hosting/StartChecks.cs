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
        ListenAddresses(configuration);
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
