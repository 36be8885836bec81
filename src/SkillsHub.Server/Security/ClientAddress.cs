using System.Net;
using System.Net.Sockets;

namespace SkillsHub.Server.Security;

/// <summary>
/// The rate-limit key of an anonymous client (docs/security.md): one machine is one key however it
/// connects -- ::1 and 127.0.0.1 are the same loopback, an IPv4-mapped IPv6 address is its IPv4
/// address -- and IPv6 clients are counted per /64, the block one household or server usually holds.
/// </summary>
public static class ClientAddress
{
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        // ::1 and 127.0.0.1 are the same machine's one loopback; other 127.x addresses stay apart, as a
        // local proxy or test rig may give distinct clients distinct loopback addresses.
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.Loopback))
        {
            return "loopback";
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }

    public static string PartitionKey(HttpContext context) => PartitionKey(context.Connection.RemoteIpAddress);
}
