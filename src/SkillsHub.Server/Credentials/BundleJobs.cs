// Dapper.AOT is not enabled in this project; plain Dapper is intended here.
using System.ComponentModel;
using System.IO.Compression;
using System.Text;
using Dapper;
using Hangfire;
using Hangfire.Server;
using Npgsql;
using SkillsHub.Domain.Credentials;

namespace SkillsHub.Server.Credentials;

/// <summary>
/// Builds a session's ZIP (per certificate: PDF, credential as vc+jwt and as JSON) in one Hangfire job.
/// The ZIP is streamed into 4 MB parts in PostgreSQL, so memory stays flat and any node can serve the
/// download. A retry starts over (the parts are replaced); credentials are issued once whatever retries.
/// </summary>
public sealed class BundleJobs(NpgsqlDataSource db, CredentialIssuer issuer, CredentialFiles files, ILogger<BundleJobs> logger)
{
    public const int PartSize = 4 * 1024 * 1024;

    [DisplayName("Certificate bundle {0}")]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Build(Guid bundleId, PerformContext? context, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var bundle = await connection.QuerySingleOrDefaultAsync<(long SessionId, string BaseUrl, string Status)>(new CommandDefinition(
            "select session_id, base_url, status from skillshub.credential_bundles where id = @bundleId", new { bundleId }, cancellationToken: ct));
        if (bundle.BaseUrl is null || bundle.Status == "succeeded")
        {
            return;
        }
        var numbers = (await connection.QueryAsync<string>(new CommandDefinition(
            "select certificate_number from skillshub.evaluations where session_id = @session and certificate_number is not null order by certificate_number",
            new { session = bundle.SessionId }, cancellationToken: ct))).ToList();
        await connection.ExecuteAsync(new CommandDefinition("""
            delete from skillshub.credential_bundle_parts where bundle_id = @bundleId;
            update skillshub.credential_bundles set status = 'running', total = @total, processed = 0, size_bytes = 0, message = null where id = @bundleId;
            """, new { bundleId, total = numbers.Count }, cancellationToken: ct));
        var urls = new CredentialUrls(bundle.BaseUrl);
        try
        {
            long size;
            await using (var parts = new PartStream(db, bundleId))
            {
                using (var zip = new ZipArchive(parts, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
                {
                    for (var i = 0; i < numbers.Count; i++)
                    {
                        var number = numbers[i].Trim();
                        var credential = await issuer.EnsureAsync(number, urls, ct);
                        var pdf = await files.PdfAsync(number, urls, cache: false, ct);
                        Add(zip, $"{number}/{number}.pdf", pdf!, CompressionLevel.NoCompression);
                        Add(zip, $"{number}/{number}.vc.jwt", Encoding.ASCII.GetBytes(credential!.Jwt), CompressionLevel.Optimal);
                        Add(zip, $"{number}/{number}.vc.json", Encoding.UTF8.GetBytes(credential.Document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })), CompressionLevel.Optimal);
                        if ((i + 1) % 25 == 0 || i + 1 == numbers.Count)
                        {
                            await connection.ExecuteAsync(new CommandDefinition("update skillshub.credential_bundles set processed = @processed where id = @bundleId",
                                new { bundleId, processed = i + 1 }, cancellationToken: ct));
                            context?.SetJobParameter("Progress", $"{i + 1}/{numbers.Count}");
                        }
                    }
                }
                await parts.FlushAsync(ct);
                size = parts.Length;
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "update skillshub.credential_bundles set status = 'succeeded', processed = total, size_bytes = @size, finished_at = now() where id = @bundleId",
                new { bundleId, size }, cancellationToken: ct));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Bundle {Bundle} failed", bundleId);
            await connection.ExecuteAsync(new CommandDefinition("update skillshub.credential_bundles set status = 'failed', message = @message, finished_at = now() where id = @bundleId",
                new { bundleId, message = e.Message }, cancellationToken: CancellationToken.None));
            throw;
        }
    }

    static void Add(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>A write-only stream that stores what is written as numbered parts of <see cref="PartSize"/> bytes.</summary>
    sealed class PartStream(NpgsqlDataSource db, Guid bundleId) : Stream
    {
        readonly MemoryStream _buffer = new();
        int _part;
        long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _buffer.Write(buffer);
            _length += buffer.Length;
            if (_buffer.Length >= PartSize)
            {
                Store();
            }
        }

        public override void Flush()
        {
            if (_buffer.Length > 0)
            {
                Store();
            }
        }

        void Store()
        {
            using var connection = db.OpenConnection();
            connection.Execute("insert into skillshub.credential_bundle_parts (bundle_id, part, content) values (@bundleId, @part, @content)",
                new { bundleId, part = _part++, content = _buffer.ToArray() });
            _buffer.SetLength(0);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }
            base.Dispose(disposing);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
