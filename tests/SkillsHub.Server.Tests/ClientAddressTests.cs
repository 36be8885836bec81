using System.Net;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Tests;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void PartitionKey_OneKeyPerMachineOrIpv6Slash64(string address, string key) =>
        Assert.Equal(key, ClientAddress.PartitionKey(IPAddress.Parse(address)));
}
