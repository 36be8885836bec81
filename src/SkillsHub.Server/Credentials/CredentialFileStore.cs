// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using SkillsHub.Server.Jobs;

namespace SkillsHub.Server.Credentials;

public sealed record BundleView(Guid Id, long SessionId, string Status, int Total, int Processed, long SizeBytes, string? Message, string? Download, string? Code);

/// <summary>
/// Photos, the PDF cache and bulk bundles (stored in PostgreSQL, so any node can serve them); a bundle's progress is
/// <see cref="JobProgressStore"/>'s. <see cref="CredentialFiles"/> renders the PDFs, <see cref="BundleJobs"/> builds the bundles.
/// </summary>
public sealed class CredentialFileStore(NpgsqlDataSource db, JobProgressStore progress)
{
    public async Task<byte[]?> PhotoAsync(string number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition("select content from skillshub.certificate_photos where number = @number", new { number }, cancellationToken: ct));
    }

    public async Task SavePhotoAsync(string number, string mediaType, byte[] content, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The certificate's row lock orders this with a PDF being cached (CachePdfAsync), as a status change is ordered.
        await connection.ExecuteAsync(new CommandDefinition("""
            select 1 from skillshub.certificates where number = @number for update;
            insert into skillshub.certificate_photos (number, media_type, content, uploaded_by) values (@number, @mediaType, @content, @actor)
            on conflict (number) do update set media_type = excluded.media_type, content = excluded.content, uploaded_by = excluded.uploaded_by, uploaded_at = now();
            delete from skillshub.certificate_pdfs where number = @number;
            """, new { number, mediaType, content, actor }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    /// <summary>What a certificate's PDF is drawn from that can change: its status (and when it last changed) and its photo.</summary>
    public sealed record PdfSource(string Status, DateTime? StatusChangedAt, DateTime? PhotoUploadedAt);

    const string PdfSourceQuery = """
        select c.status as Status, c.status_changed_at as StatusChangedAt, p.uploaded_at as PhotoUploadedAt
        from skillshub.certificates c left join skillshub.certificate_photos p on p.number = c.number where c.number = @number
        """;

    /// <summary>The certificate's <see cref="PdfSource"/> now: read before a PDF is drawn, and given back to cache it.</summary>
    public async Task<PdfSource?> PdfSourceAsync(string number, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PdfSource>(new CommandDefinition(PdfSourceQuery, new { number }, cancellationToken: ct));
    }

    /// <summary>The certificate's cached PDF if it was drawn for this base address.</summary>
    public async Task<byte[]?> CachedPdfAsync(string number, string baseUrl, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "select content from skillshub.certificate_pdfs where number = @number and base_url = @baseUrl", new { number, baseUrl }, cancellationToken: ct));
    }

    /// <summary>
    /// Caches a PDF drawn from <paramref name="drawnFrom"/>, unless the status or the photo changed since it was read: a
    /// status change or a new photo drops the cached PDF, and a PDF drawn before it must not be cached after it (found by
    /// an outside tester: a certificate revoked while its first PDF was drawn kept a clean PDF for good). The certificate's
    /// row is held (shared) while the source is compared and the PDF written; a change holds it exclusively.
    /// </summary>
    public async Task CachePdfAsync(string number, string baseUrl, byte[] pdf, PdfSource drawnFrom, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = await connection.QuerySingleOrDefaultAsync<PdfSource>(new CommandDefinition(PdfSourceQuery + " for share of c", new { number }, transaction, cancellationToken: ct));
        if (now == drawnFrom)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into skillshub.certificate_pdfs (number, base_url, content) values (@number, @baseUrl, @pdf)
                on conflict (number) do update set base_url = excluded.base_url, content = excluded.content, rendered_at = now()
                """, new { number, baseUrl, pdf }, transaction, cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
    }

    public async Task<Guid> CreateBundleAsync(string agency, long session, string baseUrl, string actor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*)::int from skillshub.evaluations where session_id = @session and certificate_number is not null", new { session }, transaction, cancellationToken: ct));
        var id = await progress.CreateAsync("bundle", agency, session, actor, total, ct, transaction);
        await connection.ExecuteAsync(new CommandDefinition("insert into skillshub.credential_bundles (id, base_url) values (@id, @baseUrl)",
            new { id, baseUrl }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return id;
    }

    public Task SetBundleJobAsync(Guid id, string jobId) => progress.SetJobAsync(id, jobId);

    public async Task<BundleView?> BundleAsync(Guid id, string agency, CancellationToken ct)
    {
        if (await progress.GetAsync(id, agency, ["bundle"], ct) is not { } job)
        {
            return null;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var size = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select size_bytes from skillshub.credential_bundles where id = @id", new { id }, cancellationToken: ct));
        if (job.Status == "succeeded" && await OutdatedByAsync(connection, id, ct) is { } change)
        {
            return new BundleView(job.Id, job.SessionId!.Value, job.Status, job.Total, job.Processed, size, Outdated(change), null, OutdatedCode);
        }
        return new BundleView(job.Id, job.SessionId!.Value, job.Status, job.Total, job.Processed, size, job.Message,
            job.Status == "succeeded" ? $"/api/agency/bundles/{job.Id}/download" : null, job.Code);
    }

    /// <summary>The code of a bundle built before one of its certificates was revoked, suspended or reinstated.</summary>
    public const string OutdatedCode = "bundle.outdated";

    /// <summary>What a bundle built before one of its certificates' status changed says instead of its download.</summary>
    public static string Outdated((string Number, string Action) change) =>
        $"Certificate {change.Number} was {change.Action switch { "revoke" => "revoked", "suspend" => "suspended", _ => "reinstated" }} after this bundle was built, so its PDF and credential here are out of date: build a new bundle.";

    /// <summary>
    /// The latest status change (revocation, suspension, reinstatement) of one of the bundle's certificates made after the
    /// bundle was started, or null. Such a bundle holds a PDF that no longer says what the certificate is (a revoked one
    /// drawn clean, "with the same force as the paper one"), so it is not handed out again (docs/credentials.md, "PDF";
    /// found by an outside tester: a bundle built before a revocation still downloaded).
    /// </summary>
    static async Task<(string Number, string Action)?> OutdatedByAsync(NpgsqlConnection connection, Guid id, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string? Number, string? Action)>(new CommandDefinition("""
            select e.number, e.action from skillshub.job_progress p
            join skillshub.evaluations v on v.session_id = p.session_id and v.certificate_number is not null
            join skillshub.certificate_status_events e on e.number = v.certificate_number and e.at >= p.created_at
            where p.id = @id order by e.id desc limit 1
            """, new { id }, cancellationToken: ct));
        return row.Number is { } number ? (number, row.Action!) : null;
    }

    public Task<Guid?> ActiveBundleAsync(long session, CancellationToken ct) => progress.ActiveAsync(session, "bundle", ct);

    /// <summary>What the bundle job needs: the session, the base address its URLs name, and whether it is already done.</summary>
    public async Task<(long SessionId, string BaseUrl, bool Done)?> BundleSourceAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long SessionId, string BaseUrl, string Status)>(new CommandDefinition("""
            select p.session_id, b.base_url, p.status from skillshub.credential_bundles b join skillshub.job_progress p using (id) where b.id = @id
            """, new { id }, cancellationToken: ct));
        return row.BaseUrl is null ? null : (row.SessionId, row.BaseUrl, row.Status == "succeeded");
    }

    /// <summary>The session's certificate numbers, in order: what its bundle holds.</summary>
    public async Task<List<string>> BundleNumbersAsync(long session, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "select certificate_number from skillshub.evaluations where session_id = @session and certificate_number is not null order by certificate_number",
            new { session }, cancellationToken: ct))).ToList();
    }

    /// <summary>Drops the parts a failed attempt wrote (a retry starts over).</summary>
    public async Task ClearBundleAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            delete from skillshub.credential_bundle_parts where bundle_id = @id;
            update skillshub.credential_bundles set size_bytes = 0 where id = @id;
            """, new { id }, cancellationToken: ct));
    }

    /// <summary>Stores one numbered part of the ZIP (synchronous: it is written from a stream's Write).</summary>
    public void StorePart(Guid id, int part, byte[] content)
    {
        using var connection = db.OpenConnection();
        connection.Execute("insert into skillshub.credential_bundle_parts (bundle_id, part, content) values (@id, @part, @content)", new { id, part, content });
    }

    public async Task FinishBundleAsync(Guid id, long size, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("update skillshub.credential_bundles set size_bytes = @size where id = @id", new { id, size }, transaction, cancellationToken: ct));
        await progress.FinishAsync(id, "succeeded", null, null, null, complete: true, ct, transaction);
        await transaction.CommitAsync(ct);
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
