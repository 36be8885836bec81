using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SkillsHub.Bench;

/// <summary>Small pieces every benchmark needs: a free port, a checked PUT, the pairing answers' shapes.</summary>
public static class BenchHttp
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>PUT a setup file; a refusal stops the benchmark with the server's problem text.</summary>
    public static async Task Put(HttpClient client, string path, string body, string type)
    {
        using var response = await client.PutAsync(path, new StringContent(body, Encoding.UTF8, type));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public sealed record CodeDto(string Code);

    public sealed record DeviceDto(string Token);
}
