using System.Security.Cryptography;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The registry's token key, shared by every node through PostgreSQL (the first node to start
/// creates it), and the per-certificate access tokens derived from it (docs/security.md).
/// </summary>
public sealed class RegistryTokens(CertificateStore store) : IHostedService
{
    byte[]? _key;

    public byte[] Key => _key ?? throw new InvalidOperationException("The registry key is loaded at start-up.");

    public string For(string number) => RegistryToken.For(Key, number);

    public bool Matches(string number, string? token) => RegistryToken.Matches(Key, number, token);

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _key = await store.RegistrySecretAsync(RandomNumberGenerator.GetBytes(32), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
