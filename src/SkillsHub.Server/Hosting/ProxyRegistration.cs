using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Behind nginx or an ingress, the client's address and scheme arrive in X-Forwarded-For/-Proto/-Host. They are
/// believed only from the proxies named in <c>Proxy:KnownProxies</c> (addresses) and <c>Proxy:KnownNetworks</c>
/// (CIDR ranges), default loopback only (a deployment's nginx on the same machine), and none in the embedded default,
/// which has no proxy in front: there every browser on the machine is a loopback client, and an outside tester chose a new
/// address with each sign-in to get past its limit. <c>Proxy:ForwardLimit</c> (default 1) is how many proxies in a row
/// to unwind. Rate limits, the audit trail and logs then see the client (docs/deployment.md). URLs never come
/// from these headers: they come from PublicBaseUrl.
/// </summary>
public static class ProxyRegistration
{
    public static WebApplicationBuilder AddProxySupport(this WebApplicationBuilder builder, bool embedded)
    {
        var section = builder.Configuration.GetSection("Proxy");
        var proxies = ListSetting.Values(section, "KnownProxies").Select(v => IPAddress.TryParse(v, out var address) ? address
            : throw new StartupException($"Proxy:KnownProxies: '{v}' is not an IP address.")).ToList();
        var networks = ListSetting.Values(section, "KnownNetworks").Select(v => System.Net.IPNetwork.TryParse(v, out var network) ? network
            : throw new StartupException($"Proxy:KnownNetworks: '{v}' is not a network in CIDR form (e.g. 10.0.0.0/8).")).ToList();
        // Below 1 every request failed with an empty 500 (found by an outside tester).
        var limit = WholeNumberSetting.Read(builder.Configuration, "Proxy:ForwardLimit", 1, 1);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = limit;
            if (proxies.Count + networks.Count > 0)
            {
                // Configured: exactly these (the loopback defaults would let any local process claim any address).
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                proxies.ForEach(o.KnownProxies.Add);
                networks.ForEach(o.KnownIPNetworks.Add);
            }
            else if (embedded)
            {
                // The embedded default without a proxy named: the headers are not read at all. Emptying the lists would not
                // do: the middleware then believes every sender (found when the first version of this change was tried
                // from outside).
                o.ForwardedHeaders = ForwardedHeaders.None;
            }
        });
        return builder;
    }
}
