using System.Net;
using System.Net.Sockets;

namespace SkillsHub.Storage;

/// <summary>
/// Free loopback ports for a private PostgreSQL (and the test nodes). They come from 20000-31999, below Linux's
/// ephemeral range (32768-60999) where outgoing connections take their local ports: a port found free there can be
/// taken by any client before the server binds it. Each process starts at a random place in the range, so processes
/// running side by side rarely try the same port. A caller that binds ports of its own in that range (a node's
/// cluster ports: Orleans' gateway defaults to 30000) names them, and they are never handed out.
/// </summary>
public static class LoopbackPorts
{
    /// <summary>
    /// The range, 20000-31999 unless <c>SKILLSHUB_LOOPBACK_PORTS</c> (<c>first-last</c>, inside 1024-32767) gives a part
    /// of it: ./test.sh gives each test process running side by side a part of its own, so no two of them ever find the
    /// same port free and race to bind it (docs/testing.md).
    /// </summary>
    static readonly (int First, int Count) Range = RangeFrom(Environment.GetEnvironmentVariable("SKILLSHUB_LOOPBACK_PORTS"));
    static int First => Range.First;
    static int Count => Range.Count;
    static int _next = Random.Shared.Next(0, Range.Count);

    internal static (int First, int Count) RangeFrom(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var a, var b] && int.TryParse(a, out var first) && int.TryParse(b, out var last) && first >= 1024 && last <= 32767 && last - first >= 99
            ? (first, last - first + 1)
            : (20_000, 12_000);
    }

    /// <summary>A loopback port that was free a moment ago and is none of <paramref name="reserved"/>.</summary>
    public static int Free(IReadOnlySet<int>? reserved = null)
    {
        for (var tries = 0; ; tries++)
        {
            var port = First + (Interlocked.Increment(ref _next) & int.MaxValue) % Count;
            if (reserved?.Contains(port) == true && tries < Count)
            {
                continue;
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (tries < Count)
            {
                // In use: try the next one.
            }
        }
    }
}
