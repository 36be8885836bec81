using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Credentials;

/// <summary>Certificate PDFs: from the cache (<see cref="CredentialFileStore"/>), drawn and cached on first request.</summary>
public sealed class CredentialFiles(CredentialFileStore store, CredentialIssuer issuer, IConfiguration configuration, Certification.RegistryTokens tokens)
{
    public async Task<byte[]?> PdfAsync(string number, CredentialUrls urls, bool cache, CancellationToken ct)
    {
        if (await store.CachedPdfAsync(number, urls.BaseUrl, ct) is { } cached)
        {
            return cached;
        }
        // What it is drawn from is read first: cached only if that has not changed when it is stored.
        var drawnFrom = await store.PdfSourceAsync(number, ct);
        if (drawnFrom is null || await issuer.CertificateAsync(number, ct) is not { } certificate)
        {
            return null;
        }
        // The QR code carries the certificate's access token (docs/security.md).
        var pdf = CertificatePdf.Render(certificate, await store.PhotoAsync(number, ct), urls with { TokenKey = tokens.Key }, configuration["Credentials:FontPath"]);
        if (cache)
        {
            await store.CachePdfAsync(number, urls.BaseUrl, pdf, drawnFrom, ct);
        }
        return pdf;
    }
}
