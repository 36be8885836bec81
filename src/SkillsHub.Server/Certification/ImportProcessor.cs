using SkillsHub.Domain.Certification;
using SkillsHub.Server.Jobs;
using static SkillsHub.Server.Certification.ImportStore;

namespace SkillsHub.Server.Certification;

/// <summary>
/// Processes one uploaded file: parse and validate every line (progress in job_progress), then store all rows in
/// one transaction, or, if any line is wrong, nothing at all plus a per-line error report (<see cref="ImportStore"/>).
/// </summary>
public sealed class ImportProcessor(ImportStore imports, JobProgressStore progress, TimeProvider clock, ILogger<ImportProcessor> logger)
{
    public async Task ProcessAsync(Guid importId, CancellationToken ct)
    {
        var import = await imports.HeaderAsync(importId, ct);
        if (import is null || import.Status is "succeeded" or "rejected" || import.Content is null)
        {
            return; // already done: a retried or duplicated job changes nothing
        }
        var total = CsvImport.CountRows(import.Content);
        await progress.StartAsync(importId, total, ct);

        var errors = new ImportProblems();
        var stored = 0;
        try
        {
            stored = import.Kind switch
            {
                "candidates" => await StoreAsync(import, total, ImportRows.CandidateColumns, 3, ImportRows.CandidateAsOf(CertificateStore.TodayInChina(clock), import.ExamOn), errors, ct),
                "results" => await StoreAsync(import, total, ImportRows.ResultColumns, 2,
                    ImportRows.ResultFor(SkillLevels.FromDigit(import.Level!.Value), import.ReviewOn, CertificateStore.TodayInChina(clock)), errors, ct),
                "occupations" => await StoreAsync(import, total, ImportRows.OccupationColumns, 3, ImportRows.Occupation, errors, ct),
                _ => throw new InvalidOperationException($"Unknown import kind {import.Kind}."),
            };
            // Writing the report and the outcome is part of the job: if it fails, the import says so rather than staying
            // "running" for ever (found by an outside tester).
            await imports.FinishAsync(importId, errors, stored, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await progress.FailAsync(importId, e);
            throw; // Hangfire retries; processing starts over from the stored file
        }

        logger.LogInformation("Import {ImportId} ({Kind}): {Stored} stored, {Errors} errors", importId, import.Kind, stored, errors.Count);
    }

    /// <param name="columns">The file's columns, the first <paramref name="required"/> of them required.</param>
    async Task<int> StoreAsync<T>(ImportHeader import, int total, string[] columns, int required, Func<long, Func<string, string?>, List<LineError>, T?> validate, ImportProblems errors, CancellationToken ct)
        where T : class
    {
        var lastReported = 0L;
        var parsed = CsvImport.Read(import.Content!, columns[..required], columns[required..], validate, line =>
        {
            if (line - lastReported >= 5000)
            {
                lastReported = line;
                progress.Report(import.Id, (int)line - 1);
            }
        });
        // Every line is read: the progress says so while the rows are checked and stored, the longer part of a large file
        // (the page shows "checking and storing"; it showed the last count of 5,000 lines, short of the total, meanwhile).
        await progress.ReportAsync(import.Id, total, null, ct);
        errors.AddRange(parsed.Errors.Listed);
        errors.AddUnlisted(parsed.Errors.Count - parsed.Errors.Listed.Count);
        // The lines that read well are checked across the file and against the database even when others did not, so
        // one report names every problem (a same person twice, a stranger to the session) and one corrected upload can
        // pass (found by an outside tester: those came only after the cell errors were fixed). Nothing is stored while
        // any problem stands.
        return parsed.Rows.Count == 0 ? 0 : await imports.StoreRowsAsync(import, parsed.Rows, errors, ct);
    }
}
