using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using SkillsHub.Abstractions;

namespace SkillsHub.Server.Security;

/// <summary>
/// This node's open hub connections that a session, a tablet or a personal API token authenticated, each with that
/// credential (docs/security.md, "Live connections"). A hub connection makes no further requests, so nothing else would
/// notice its credential end: a connection whose credential no longer passes the check every request makes (the same
/// rows and conditions: <see cref="SessionStore"/>, <see cref="DeviceStore"/>, <see cref="ApiTokenStore"/>) is aborted.
/// The check runs at once when a credential ends on this node, and every <see cref="CheckEvery"/> for those ended on
/// another. Anonymous connections are not kept: they see only what is public.
/// </summary>
public sealed class LiveConnections(NpgsqlDataSource db, IGrainFactory grains, ILogger<LiveConnections> logger)
    : BackgroundService
{
    /// <summary>How long a credential ended on another node may still feed a connection here.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    enum Kind { Session, Device, ApiToken }

    /// <summary>A session's key, or the SHA-256 of a bearer token (what the stores look up).</summary>
    readonly record struct Credential(Kind Kind, string Key);

    readonly ConcurrentDictionary<string, (HubCallerContext Connection, Credential Credential)> _open = new();

    /// <summary>Released when a credential ended on this node: the loop checks at once.</summary>
    readonly SemaphoreSlim _ended = new(0, 1);

    /// <summary>Keeps an authenticated connection with the credential of the request that opened it.</summary>
    public void Opened(HubCallerContext connection)
    {
        if (connection.User?.Identity?.IsAuthenticated != true)
        {
            return;
        }
        if (connection.GetHttpContext() is not { } http || CredentialOf(http) is not { } credential)
        {
            // Authenticated by nothing this could check again: not kept open.
            connection.Abort();
            return;
        }
        _open[connection.ConnectionId] = (connection, credential);
    }

    public void Closed(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>A credential ended on this node (its transaction committed): check the open connections now.</summary>
    public void CheckNow()
    {
        try
        {
            _ended.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already due.
        }
    }

    /// <remarks>The cookie options are the request's: they name the session store, which names this (a cycle at start-up).</remarks>
    static Credential? CredentialOf(HttpContext http) => SecurityRegistration.SchemeOf(http.Request) switch
    {
        DeviceAuthenticationHandler.SchemeName => new Credential(Kind.Device, BearerTokens.Hash(BearerTokens.TokenOf(http.Request)!)),
        ApiTokenAuthenticationHandler.SchemeName => new Credential(Kind.ApiToken, BearerTokens.Hash(BearerTokens.TokenOf(http.Request)!)),
        _ => SessionStore.KeyOf(http, http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme))
            is { } key ? new Credential(Kind.Session, key) : null,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            await _ended.WaitAsync(CheckEvery, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            var open = _open.ToArray();
            if (open.Length == 0)
            {
                continue;
            }
            HashSet<Credential> live;
            try
            {
                live = await LiveAsync(open.Select(o => o.Value).ToList(), stoppingToken);
                failing = false;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A request whose credential cannot be checked is refused; so is a connection: it ends, and its client may
                // connect again once the database answers.
                live = [];
                if (!failing)
                {
                    logger.LogWarning(e, "Could not check the credentials of open hub connections; they end until the database answers again.");
                }
                failing = true;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var (id, (connection, credential)) in open)
            {
                if (!live.Contains(credential) && _open.TryRemove(id, out _))
                {
                    logger.LogInformation("Hub connection {Connection} ended: its {Credential} is no longer valid.", id, credential.Kind);
                    connection.Abort();
                }
            }
        }
    }

    /// <summary>Which of these connections' credentials are still live: one query per kind, the stores' own.</summary>
    async Task<HashSet<Credential>> LiveAsync(IReadOnlyList<(HubCallerContext Connection, Credential Credential)> open, CancellationToken ct)
    {
        var chiefs = open.Where(o => o.Credential.Kind == Kind.Device && o.Connection.User?.IsInRole(Roles.ChiefExpert) == true).Select(o => o.Credential.Key).ToHashSet();
        var live = new HashSet<Credential>();
        foreach (var kind in open.Select(o => o.Credential).Distinct().GroupBy(c => c.Kind, c => c.Key))
        {
            var keys = kind.Key switch
            {
                Kind.Session => await SessionStore.LiveAmongAsync(db, kind, ct),
                Kind.Device => await TabletsAsync(kind, chiefs),
                _ => await TokensAsync(kind),
            };
            live.UnionWith(keys.Select(key => new Credential(kind.Key, key)));
        }
        return live;

        // A token acts with its account's current roles: a connection opened with others stays only while they are the same
        // (found by an outside tester: an organiser's token connection kept the live standings after the account became an
        // agency officer; a session ends when its roles change, so its connection ends with it).
        async Task<List<string>> TokensAsync(IEnumerable<string> hashes)
        {
            var opened = open.Where(o => o.Credential.Kind == Kind.ApiToken)
                .GroupBy(o => o.Credential.Key).ToDictionary(g => g.Key, g => g.Select(o => o.Connection.User!).ToList());
            var tokens = new List<string>();
            foreach (var (hash, roles, agency) in await ApiTokenStore.LiveAmongAsync(db, hashes, ct))
            {
                var current = roles.Order(StringComparer.Ordinal).ToArray();
                if (opened[hash].All(user => user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).SequenceEqual(current)
                    && user.FindFirstValue(SkillsHubClaims.Agency) == agency))
                {
                    tokens.Add(hash);
                }
            }
            return tokens;
        }

        // A request's role is read afresh from the roster; a tablet that joined as its skill's Chief Expert (the live
        // group) stays only while its expert still is one.
        async Task<List<string>> TabletsAsync(IEnumerable<string> hashes, HashSet<string> chiefs)
        {
            var tablets = new List<string>();
            foreach (var (hash, device) in await DeviceStore.UnrevokedAsync(db, hashes, ct))
            {
                if (!chiefs.Contains(hash) || (await grains.GetGrain<IEventGrain>(SkillKey.Format(device.CompetitionCode, device.SkillNumber))
                    .GetExpert(device.ExpertId))?.Role == ExpertRole.ChiefExpert)
                {
                    tablets.Add(hash);
                }
            }
            return tablets;
        }
    }
}
