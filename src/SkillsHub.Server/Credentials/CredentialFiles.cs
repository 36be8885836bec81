// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using Dapper;
using Npgsql;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Credentials;

public sealed record BundleView(Guid Id, long SessionId, string Status, int Total, int Processed, long SizeBytes, string? Message, string? Download);

/// <summary>Photos, the PDF cache and bulk bundles (stored in PostgreSQL, so any node can serve them).</summary>
public sealed class CredentialFiles(NpgsqlDataSource db, CredentialIssuer issuer, IConfiguration configuration, Certification.RegistryTokens tokens)
{
    public async Task<byte[]?> PhotoAsync(string number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition("select content from skillshub.certificate_photos where number = @number", new { number }, cancellationToken: ct));
    }

    public async Task SavePhotoAsync(string number, string mediaType, byte[] content, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.certificate_photos (number, media_type, content, uploaded_by) values (@number, @mediaType, @content, @actor)
            on conflict (number) do update set media_type = excluded.media_type, content = excluded.content, uploaded_by = excluded.uploaded_by, uploaded_at = now();
            delete from skillshub.certificate_pdfs where number = @number;
            """, new { number, mediaType, content, actor }, cancellationToken: ct));
    }

    /// <summary>The certificate's PDF from the cache, rendered (and cached) on first request.</summary>
    public async Task<byte[]?> PdfAsync(string number, CredentialUrls urls, bool cache, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var cached = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "select content from skillshub.certificate_pdfs where number = @number and base_url = @baseUrl", new { number, baseUrl = urls.BaseUrl }, cancellationToken: ct));
        if (cached is not null)
        {
            return cached;
        }
        if (await issuer.CertificateAsync(number, ct) is not { } certificate)
        {
            return null;
        }
        // The QR code carries the certificate's access token (docs/security.md).
        var pdf = CertificatePdf.Render(certificate, await PhotoAsync(number, ct), urls with { TokenKey = tokens.Key }, configuration["Credentials:FontPath"]);
        if (cache)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.certificate_pdfs (number, base_url, content) values (@number, @baseUrl, @pdf)
                on conflict (number) do update set base_url = excluded.base_url, content = excluded.content, rendered_at = now()
                """, new { number, baseUrl = urls.BaseUrl, pdf }, cancellationToken: ct));
        }
        return pdf;
    }

    public async Task<Guid> CreateBundleAsync(string agency, long session, string baseUrl, string actor, CancellationToken ct)
    {
        var id = Guid.NewGuid();
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into skillshub.credential_bundles (id, agency_key, session_id, base_url, created_by, total)
            values (@id, @agency, @session, @baseUrl, @actor, (select count(*) from skillshub.evaluations where session_id = @session and certificate_number is not null))
            """, new { id, agency, session, baseUrl, actor }, cancellationToken: ct));
        return id;
    }

    public async Task SetBundleJobAsync(Guid id, string jobId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("update skillshub.credential_bundles set job_id = @jobId where id = @id", new { id, jobId });
    }

    public async Task<BundleView?> BundleAsync(Guid id, string agency, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(Guid Id, long SessionId, string Status, int Total, int Processed, long SizeBytes, string? Message)>(new CommandDefinition("""
            select id, session_id, status, total, processed, size_bytes, message from skillshub.credential_bundles where id = @id and agency_key = @agency
            """, new { id, agency }, cancellationToken: ct));
        return row.Id == Guid.Empty ? null
            : new BundleView(row.Id, row.SessionId, row.Status, row.Total, row.Processed, row.SizeBytes, row.Message, row.Status == "succeeded" ? $"/api/agency/bundles/{row.Id}/download" : null);
    }

    public async Task<Guid?> ActiveBundleAsync(long session, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "select id from skillshub.credential_bundles where session_id = @session and status in ('queued', 'running') limit 1", new { session }, cancellationToken: ct));
    }

    /// <summary>Streams the bundle's parts in order, one part in memory at a time.</summary>
    public async Task CopyBundleAsync(Guid id, Stream target, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var parts = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from skillshub.credential_bundle_parts where bundle_id = @id", new { id }, cancellationToken: ct));
        for (var part = 0; part < parts; part++)
        {
            var content = await connection.ExecuteScalarAsync<byte[]>(new CommandDefinition(
                "select content from skillshub.credential_bundle_parts where bundle_id = @id and part = @part", new { id, part }, cancellationToken: ct));
            await target.WriteAsync(content, ct);
        }
    }
}
