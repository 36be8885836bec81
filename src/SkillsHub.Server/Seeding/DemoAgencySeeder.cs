using SkillsHub.Domain.Certification;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Jobs;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Seeding;

/// <summary>
/// The embedded demo's certification side: a generated, clearly labelled evaluation agency filed for
/// the occupations the demo skills map to (so promotions from the demo competition land in its scope),
/// an agency officer whose credentials are printed at every start, a few generated candidates and one
/// evaluation session rated and issued by the real jobs, so /agency and /verify/{number} work at once.
/// Every step checks what exists first, so a second start (or a start after a crash midway) adds nothing
/// that is already there. Runs only where <see cref="DemoSeeder"/> runs.
/// </summary>
public sealed class DemoAgencySeeder(CertificationStore store, JobProgressStore progress, AgencyStore agencies, AccountStore accounts, CertificationJobs jobs, RegistryTokens tokens, ILogger<DemoAgencySeeder> logger)
{
    /// <summary>Type S, agency code 9999 (no real agency), Shanghai (31), site 000001.</summary>
    public const string AgencyKeyText = "S999931000001";
    public const string AgencyName = "演示评价机构 Demo evaluation agency (generated)";
    public const string OfficerUser = "agency";
    public const string CredentialsFile = "demo-agency-credentials.txt";
    const string Actor = "demo-seeder";

    /// <summary>The sample occupations the demo skills map to (07 CNC Milling, 06 CNC Turning, 35 Restaurant Service), Levels 5..1.</summary>
    static readonly string[] Occupations = ["6-18-01-02", "6-18-01-01", "4-03-02-05"];

    const string SessionOccupation = "6-18-01-02";

    /// <summary>Generated candidates (ID type 'other', numbers DEMO…): four pass, one fails the practical, one is not yet eligible.</summary>
    static readonly (string Name, string IdNumber, string Since, decimal Theory, decimal Practical)[] Candidates =
    [
        ("演示考生 Demo Candidate 01 (generated)", "DEMO00000001", "2021-03-01", 86, 91),
        ("演示考生 Demo Candidate 02 (generated)", "DEMO00000002", "2022-09-01", 74, 68),
        ("演示考生 Demo Candidate 03 (generated)", "DEMO00000003", "2020-07-15", 92, 88),
        ("演示考生 Demo Candidate 04 (generated)", "DEMO00000004", "2023-02-01", 63, 71),
        ("演示考生 Demo Candidate 05 (generated)", "DEMO00000005", "2022-04-01", 81, 52),
        ("演示考生 Demo Candidate 06 (generated)", "DEMO00000006", "2025-03-01", 90, 90),
    ];

    static readonly DateOnly ExamOn = new(2025, 6, 14);

    /// <param name="credentialsDirectory">Where the officer's password is kept between starts (the embedded data's parent); null: never shown, an admin sets it.</param>
    public async Task SeedAsync(string? credentialsDirectory, CancellationToken ct)
    {
        var key = AgencyKey.Parse(AgencyKeyText);
        if (await agencies.CreateAgencyAsync(key, AgencyName, Occupations.SelectMany(o => SkillLevels.Evaluated.Select(l => (o, l))), ct))
        {
            logger.LogInformation("Demo agency {Agency} filed for {Occupations}, Levels 5..1", AgencyKeyText, string.Join(", ", Occupations));
        }

        var file = credentialsDirectory is null ? null : Path.Combine(credentialsDirectory, CredentialsFile);
        string? password = null;
        if (!await accounts.ExistsAsync(OfficerUser, ct))
        {
            password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9)).ToLowerInvariant();
            if (file is not null)
            {
                SkillsHub.Storage.SecretFile.Write(file, $"agency officer user: {OfficerUser}\nagency officer password: {password}\nagency: {AgencyKeyText}\n");
            }
            await accounts.CreateAsync(OfficerUser, "Demo agency officer (generated)", password, [Roles.AgencyOfficer], AgencyKeyText, ct);
        }
        else if (file is not null && File.Exists(file))
        {
            SkillsHub.Storage.SecretFile.Restrict(file);
            password = File.ReadLines(file).Select(l => l.Split(": ", 2)).FirstOrDefault(p => p[0] == "agency officer password")?.ElementAtOrDefault(1);
        }

        var (session, created) = await store.EnsurePreparedSessionAsync(AgencyKeyText, SessionOccupation, ExamOn, Actor,
            Candidates.Select(c => new CertificationStore.PreparedCandidate(c.Name, c.IdNumber, DateOnly.Parse(c.Since, System.Globalization.CultureInfo.InvariantCulture), c.Theory, c.Practical)).ToList(), ct);
        if (created)
        {
            logger.LogInformation("Demo evaluation session {Session} created with {Count} generated candidates", session, Candidates.Length);
        }
        if (await store.UnratedCountAsync(session, ct) > 0)
        {
            await jobs.Rate(await progress.CreateAsync("rate", AgencyKeyText, session, Actor, 0, ct), null, ct);
        }
        if (await store.PendingIssuanceAsync(session, ct) > 0)
        {
            await jobs.Issue(await progress.CreateAsync("issue", AgencyKeyText, session, Actor, 0, ct), null, ct);
        }

        var number = await store.FirstCertificateNumberAsync(session, ct);
        if (file is null)
        {
            // A node with a database of its own sends its log to a collector: the officer's working password and a
            // certificate's access token stay out of it (found by an outside tester); an admin sets the password.
            logger.LogWarning("Demo agency officer '{User}' is on file; an admin sets its password in the console (Accounts, Reset password). Demo certificate: {Number}",
                OfficerUser, number);
            return;
        }
        // The link as the certificate's QR code carries it (with its access token), so the full record shows (docs/security.md).
        logger.LogWarning("Demo agency officer: sign in at /agency with user '{User}' and password '{Password}'{Where}. Demo certificate: /verify/{Number}",
            OfficerUser, password ?? "(set when it was created)", file is null ? "" : $" (also in {file})", number is null ? null : $"{number}?t={tokens.For(number)}");
    }
}
