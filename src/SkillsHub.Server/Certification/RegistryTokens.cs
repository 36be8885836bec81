using System.Security.Cryptography;
using Dapper;
using Npgsql;
using SkillsHub.Domain.Certification;

namespace SkillsHub.Server.Certification;

/// <summary>
/// The registry's token key, shared by every node through PostgreSQL (the first node to start
/// creates it), and the per-certificate access tokens derived from it (docs/security.md).
/// </summary>
public sealed class RegistryTokens(NpgsqlDataSource db) : IHostedService
{
    byte[]? _key;

    public byte[] Key => _key ?? throw new InvalidOperationException("The registry key is loaded at start-up.");

    public string For(string number) => RegistryToken.For(Key, number);

    public bool Matches(string number, string? token) => RegistryToken.Matches(Key, number, token);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        _key = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition("""
            insert into skillshub.registry_secret (id, secret) values (1, @secret) on conflict (id) do nothing;
            select secret from skillshub.registry_secret where id = 1;
            """, new { secret = RandomNumberGenerator.GetBytes(32) }, cancellationToken: cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
