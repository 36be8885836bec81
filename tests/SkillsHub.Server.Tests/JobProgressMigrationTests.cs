using Dapper;
using Npgsql;
using SkillsHub.Storage;

namespace SkillsHub.Server.Tests;

/// <summary>
/// Migration 0120 merges the three progress tables into job_progress (docs/certification.md, "Jobs and their
/// progress"): a database with imports, runs and bundles from before keeps every one of them, their reports and parts.
/// </summary>
[Collection(ServerCollection.Platform)]
public sealed class JobProgressMigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migration0120_KeepsEveryImportRunAndBundle()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.NewEmptyDatabaseAsync());
        await using var connection = await dataSource.OpenConnectionAsync();
        // The schema as it was before 0120, recorded as applied so the migrator runs only what follows.
        await connection.ExecuteAsync("""
            create schema if not exists skillshub;
            create table skillshub.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now());
            """);
        foreach (var migration in DatabaseMigrator.All.Where(m => m.Version < 120))
        {
            await connection.ExecuteAsync(migration.Sql);
            await connection.ExecuteAsync("insert into skillshub.schema_migrations (version, name) values (@Version, @Name)", migration);
        }
        var (import, rejected, run, bundle) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var session = await connection.ExecuteScalarAsync<long>("""
            insert into skillshub.occupations (code, name_zh, name_en, source) values ('6-18-02-04', '焊工', 'Welder', 'sample') on conflict do nothing;
            insert into skillshub.agencies (key, type, agency_code, province, site, name) values ('S000031000001', 'S', '0000', '31', '000001', 'Agency');
            insert into skillshub.evaluation_sessions (agency_key, occupation_code, level, exam_on, created_by) values ('S000031000001', '6-18-02-04', 5, '2025-01-01', 'o') returning id;
            """);
        await connection.ExecuteAsync("""
            insert into skillshub.cert_imports (id, kind, agency_key, session_id, file_name, status, total_rows, processed, stored_rows, message, job_id, created_by, finished_at)
              values (@import, 'candidates', 'S000031000001', @session, 'c.csv', 'succeeded', 40, 40, 40, '40 row(s) stored', '7', 'o', now());
            insert into skillshub.cert_imports (id, kind, agency_key, session_id, file_name, status, total_rows, processed, error_count, message, created_by)
              values (@rejected, 'results', 'S000031000001', @session, 'r.csv', 'rejected', 3, 3, 1, '1 problem(s): nothing from this file was stored', 'o');
            insert into skillshub.cert_import_errors (import_id, line, field, message) values (@rejected, 2, 'id_number', 'not a candidate of this session');
            insert into skillshub.cert_runs (id, kind, agency_key, session_id, status, total, processed, summary, created_by) values (@run, 'rate', 'S000031000001', @session, 'succeeded', 40, 40, '{"passed": 30}', 'o');
            insert into skillshub.credential_bundles (id, agency_key, session_id, base_url, status, total, processed, size_bytes, message, created_by)
              values (@bundle, 'S000031000001', @session, 'https://example.org', 'failed', 30, 25, 4096, 'no font', 'o');
            insert into skillshub.credential_bundle_parts (bundle_id, part, content) values (@bundle, 0, '\x00');
            """, new { import, rejected, run, bundle, session });

        Assert.Equal([120], (await DatabaseMigrator.MigrateAsync(dataSource)).Where(v => v == 120));

        var rows = (await connection.QueryAsync<(Guid Id, string Kind, string Status, int Total, int Processed, string? Summary, string? Message, string? Code, string? JobId)>(
            "select id, kind, status, total, processed, summary::text, message, code, job_id from skillshub.job_progress where session_id = @session", new { session }))
            .ToDictionary(r => r.Id);
        Assert.Equal(("candidates", "succeeded", 40, 40, (string?)null, "7"), (rows[import].Kind, rows[import].Status, rows[import].Total, rows[import].Processed, rows[import].Code, rows[import].JobId));
        Assert.Equal(("results", "rejected", "job.file-rejected"), (rows[rejected].Kind, rows[rejected].Status, rows[rejected].Code));
        Assert.Equal(("rate", "succeeded", """{"passed": 30}"""), (rows[run].Kind, rows[run].Status, rows[run].Summary));
        Assert.Equal(("bundle", "failed", 25, "no font", "job.failed"), (rows[bundle].Kind, rows[bundle].Status, rows[bundle].Processed, rows[bundle].Message, rows[bundle].Code));
        Assert.Equal(("c.csv", 40), await connection.QuerySingleAsync<(string, int)>("select file_name, stored_rows from skillshub.cert_imports where id = @import", new { import }));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("select count(*) from skillshub.cert_import_errors where import_id = @rejected", new { rejected }));
        Assert.Equal((4096L, 1L), await connection.QuerySingleAsync<(long, long)>(
            "select size_bytes, (select count(*) from skillshub.credential_bundle_parts where bundle_id = @bundle) from skillshub.credential_bundles where id = @bundle", new { bundle }));
        Assert.False(await connection.ExecuteScalarAsync<bool>("select exists(select 1 from information_schema.tables where table_schema = 'skillshub' and table_name = 'cert_runs')"));
    }
}
