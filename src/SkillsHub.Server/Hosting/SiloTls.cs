using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using SkillsHub.Server.Platform;

namespace SkillsHub.Server.Hosting;

/// <summary>
/// Mutual TLS between the nodes of a cluster, when <c>Orleans:Tls:Certificate</c> names the cluster's certificate
/// (docs/security.md, "Orleans ports"). Every node has the same certificate and key; a node accepts a connection on its
/// silo port only from a peer that presents exactly that certificate, and connects only to peers that do. Whoever reaches
/// the port without it gets no further than the TLS handshake. Without the setting the silo port speaks plain Orleans, as
/// before, and must be kept private by the network.
/// </summary>
public static class SiloTls
{
    const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// The cluster's certificate with its private key, or null when none is set. A file that is missing, unreadable, without
    /// a private key or restricted to other uses stops the start in one line naming the setting.
    /// </summary>
    public static X509Certificate2? Load(IConfiguration configuration)
    {
        var path = configuration["Orleans:Tls:Certificate"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }
        if (!File.Exists(path))
        {
            throw new StartupException($"Orleans:Tls:Certificate: there is no file at '{path}'.");
        }
        X509Certificate2 certificate;
        try
        {
            var key = configuration["Orleans:Tls:Key"] is { Length: > 0 } keyPath ? keyPath : null;
            certificate = !IsPem(path) ? X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Orleans:Tls:Password"], X509KeyStorageFlags.EphemeralKeySet)
                // A PEM file with no key and none named is read as what it is, a certificate alone (refused below).
                : key is null && !File.ReadAllText(path).Contains("PRIVATE KEY", StringComparison.Ordinal) ? X509CertificateLoader.LoadCertificateFromFile(path)
                : X509Certificate2.CreateFromPemFile(path, key);
        }
        // A key that is not the certificate's comes back as an ArgumentException (found by an outside tester: a bare line).
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StartupException($"Orleans:Tls:Certificate '{path}' cannot be read ({e.Message.TrimEnd('.')}): give a PKCS#12 file with Orleans:Tls:Password, or a PEM certificate with its key in the same file or in Orleans:Tls:Key.");
        }
        if (!certificate.HasPrivateKey)
        {
            throw new StartupException($"Orleans:Tls:Certificate '{path}' has no private key: the nodes authenticate each other with it.");
        }
        // A certificate limited to some uses must allow both ends of a connection: each node is a TLS server and a client.
        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages)
        {
            var oids = usages.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToHashSet();
            if (!oids.Contains(ServerAuth) || !oids.Contains(ClientAuth))
            {
                throw new StartupException($"Orleans:Tls:Certificate '{path}' must allow both server and client authentication (extended key usage), or name no usage at all.");
            }
        }
        return certificate;
    }

    static bool IsPem(string path) =>
        path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase);

    /// <summary>Both directions of the silo connections go through TLS, each end requiring the other's certificate to be the cluster's.</summary>
    public static void Use(ISiloBuilder silo, X509Certificate2 certificate)
    {
        var pinned = certificate.RawData;
        silo.UseTls(certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Pinned, whoever signed it: a certificate from a public or company CA is no pass into the cluster.
            options.RemoteCertificateValidation = (remote, _, _) => remote.RawData.AsSpan().SequenceEqual(pinned);
            options.OnAuthenticateAsClient = (_, client) => client.TargetHost = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        });
    }
}
