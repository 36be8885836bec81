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
    const int First = 20_000;
    const int Count = 12_000;
    static int _next = Random.Shared.Next(0, Count);

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
