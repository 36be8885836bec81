using System.ComponentModel;
using System.IO.Compression;
using Hangfire;
using Hangfire.Server;
using SkillsHub.Domain.Credentials;
using SkillsHub.Server.Jobs;

namespace SkillsHub.Server.Credentials;

/// <summary>
/// Builds a session's ZIP (per certificate: PDF, credential as vc+jwt and as JSON) in one Hangfire job.
/// The ZIP is streamed into 4 MB parts in PostgreSQL, so memory stays flat and any node can serve the
/// download. A retry starts over (the parts are replaced); credentials are issued once whatever retries. The job
/// holds no SQL: the bundle's files are <see cref="CredentialFileStore"/>'s, its progress <see cref="JobProgressStore"/>'s.
/// </summary>
public sealed class BundleJobs(CredentialFileStore store, JobProgressStore progress, CredentialIssuer issuer, CredentialFiles files)
{
    public const int PartSize = 4 * 1024 * 1024;

    [DisplayName("Certificate bundle {0}")]
    [AutomaticRetry(Attempts = 2, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Build(Guid bundleId, PerformContext? context, CancellationToken ct)
    {
        if (await store.BundleSourceAsync(bundleId, ct) is not { Done: false } bundle)
        {
            return;
        }
        var numbers = await store.BundleNumbersAsync(bundle.SessionId, ct);
        await store.ClearBundleAsync(bundleId, ct);
        await progress.StartAsync(bundleId, numbers.Count, ct);
        var urls = new CredentialUrls(bundle.BaseUrl);
        try
        {
            long size;
            await using (var parts = new PartStream(store, bundleId))
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
                            await progress.ReportAsync(bundleId, i + 1, null, ct);
                            context?.SetJobParameter("Progress", $"{i + 1}/{numbers.Count}");
                        }
                    }
                }
                await parts.FlushAsync(ct);
                size = parts.Length;
            }
            await store.FinishBundleAsync(bundleId, size, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await progress.FailAsync(bundleId, e, e switch
            {
                CjkFontMissingException => ProblemCodes.PdfRenderingUnavailable,
                SigningKeyUnavailableException => ProblemCodes.SigningKeyUnavailable,
                _ => null,
            });
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
    sealed class PartStream(CredentialFileStore store, Guid bundleId) : Stream
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
            store.StorePart(bundleId, _part++, _buffer.ToArray());
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
