using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Platform;

/// <summary>
/// The one address every URL leaving the server is built on (credential and issuer ids, status lists, the
/// QR code and links on PDFs, pairing links): <c>PublicBaseUrl</c>, never the request's Host, which behind a
/// proxy is the upstream's name and which any client can set. A credential signed once carries its URLs
/// for good, so a production node (a connection string set) does not start without it; the embedded demo
/// uses the address it listens on (docs/deployment.md).
/// </summary>
public sealed class PublicAddress
{
    public const string Setting = "PublicBaseUrl";

    readonly IServer? _server;
    string? _baseUrl;

    PublicAddress(string? configured, IServer? server)
    {
        _baseUrl = configured;
        _server = server;
    }

    /// <summary>The base address, an origin without a trailing slash, e.g. https://results.example.org.</summary>
    public string BaseUrl => _baseUrl ??= ListeningAddress();

    public CredentialUrls Credentials => new(BaseUrl);

    /// <summary>An absolute URL for a path on this site (<paramref name="path"/> starts with '/').</summary>
    public string Url(string path) => BaseUrl + path;

    string ListeningAddress()
    {
        var first = _server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server is not listening yet, so the public address is not known.");
        var uri = new Uri(first.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("[::]", "localhost").Replace("0.0.0.0", "localhost"));
        // Before Kestrel has bound, a configured port 0 is still 0: not an address to hand out (or keep).
        return uri.Port != 0 ? uri.GetLeftPart(UriPartial.Authority) : throw new InvalidOperationException("The server is not listening yet, so the public address is not known.");
    }

    /// <summary>Reads and checks <c>PublicBaseUrl</c>; a problem is one line (a <see cref="StartupException"/>).</summary>
    public static string? Configured(IConfiguration configuration, bool production)
    {
        // Credentials:PublicBaseUrl is the name this setting had before it covered more than credentials.
        var value = configuration[Setting] is { Length: > 0 } v ? v : configuration["Credentials:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return production
                ? throw new StartupException($"{Setting} is not set. A node with ConnectionStrings:Postgres issues credentials that name their public address for good: " +
                    $"set {Setting} to the address people and verifiers use (e.g. --{Setting}=https://results.example.org).")
                : null;
        }
        // A user name or password in the address is named as such, and not repeated into the log (found by an outside tester).
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var withUser) && withUser.UserInfo.Length > 0)
        {
            throw new StartupException($"{Setting} must not hold a user name or password (user@ or user:password@ before the host): give the bare address, e.g. https://results.example.org.");
        }
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new StartupException($"{Setting} must be an absolute http(s) address without query or fragment, e.g. https://results.example.org (not '{value}').");
        }
        // The pages, their assets, the hubs and the sign-in cookies live at the root of the address: under a path
        // (https://example.org/skills) they would be looked for at https://example.org/ and nobody could sign in, while
        // credentials signed there would carry that path for good. So a path is refused before anything is signed
        // (docs/deployment.md, "One public address").
        if (uri.AbsolutePath != "/")
        {
            throw new StartupException($"{Setting} must be the address of a site of its own, without a path: SkillsHub serves its pages from the root of its address " +
                $"(e.g. https://skills.example.org, not '{value}').");
        }
        return Origin(uri);
    }

    /// <summary>
    /// An address's origin as a browser writes it in its Origin header: scheme, host in lower case, the port unless it is the
    /// scheme's own, and an internationalised host in its ASCII (punycode) form, which browsers send. Uri keeps a Unicode host
    /// as given, so a PublicBaseUrl of http://例子.example wrote links and credential ids with it while every browser sign-in
    /// came from http://xn--fsqu00a.example and was refused as another site's (found by an outside tester): both spellings
    /// are now one address (docs/deployment.md, "One public address").
    /// </summary>
    public static string Origin(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost : uri.Host;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }

    internal static PublicAddress Create(string? configured, IServer? server) => new(configured, server);
}

public static class PublicAddressRegistration
{
    public static WebApplicationBuilder AddPublicAddress(this WebApplicationBuilder builder, bool production)
    {
        var configured = PublicAddress.Configured(builder.Configuration, production);
        builder.Services.AddSingleton(sp => PublicAddress.Create(configured, sp.GetService<IServer>()));
        return builder;
    }
}
