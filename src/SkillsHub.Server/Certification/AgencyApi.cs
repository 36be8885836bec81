using Hangfire;
using SkillsHub.Domain.Certification;
using SkillsHub.Server.Jobs;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

/// <summary>
/// A new exam session. The type of work and (below Level 2) the review date may be left out, so the contract marks them
/// optional; the work type is at most 100 characters (the text rule checks it: Platform/TextInputFilter.cs).
/// </summary>
public sealed record CreateSessionRequest(string? Occupation, int? Level, DateOnly? ExamOn,
    [property: System.ComponentModel.DataAnnotations.MaxLength(100)] string? WorkType = null, DateOnly? ReviewOn = null);

/// <summary>An appointment; left out, the date is today (China time), so the contract marks it optional.</summary>
public sealed record AppointmentRequest(string? IdType, string? IdNumber, string? Occupation, string? Level, DateOnly? AppointedOn = null);

public sealed record Accepted202(Guid Id, string Status, string Location);

/// <summary>A recorded appointment; Level is "special-grade" or "chief", the ID masked (docs/security.md).</summary>
public sealed record AppointmentView(string AgencyKey, string IdType, string IdNumberMasked, string Occupation, string Level, string LevelZh, string LevelEn, DateOnly AppointedOn);

/// <summary>
/// The agency officer's API. Every route is bound to the officer's own agency (claim skillshub:agency):
/// another agency's sessions, imports and runs answer 404 exactly like missing ones; anything outside
/// the agency's filed scope answers 403.
/// </summary>
public static class AgencyApi
{
    public static IEndpointRouteBuilder MapAgencyApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/agency").WithTags("Certification: agency").RequireAuthorization(CertificationPolicies.AgencyOfficer);
        api.MapGet("/", GetAgency).WithSummary("The officer's agency and its filed scope (occupations x levels).");
        api.MapGet("/sessions", (CertificationStore store, ClaimsPrincipal user, CancellationToken ct) => store.SessionsAsync(user.AgencyKey(), ct))
            .WithSummary("The agency's evaluation sessions with their counts.");
        api.MapPost("/sessions", CreateSession).WithSummary("Creates an evaluation session (occupation, type of work, level 5..1, dates) inside the scope.");
        api.MapGet("/sessions/{id:long}", GetSession).WithSummary("One evaluation session: occupation, level, dates, candidates, results and certificates.");
        api.MapPost("/sessions/{id:long}/candidates", (long id, HttpRequest request, CertificationStore store, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
            Upload("candidates", id, request, store, jobs, user, clock, ct)).AcceptsFile("The candidates (CSV)", "text/csv").TakesFileName().WithSummary("Uploads the session's candidates as CSV (all-or-nothing; processed by a job).");
        api.MapPost("/sessions/{id:long}/results", (long id, HttpRequest request, CertificationStore store, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
            Upload("results", id, request, store, jobs, user, clock, ct)).AcceptsFile("The exam results (CSV)", "text/csv").TakesFileName().WithSummary("Uploads exam results as CSV (all-or-nothing; processed by a job).");
        api.MapGet("/imports/{id:guid}", GetImport).WithSummary("An upload's state (queued, running, succeeded, rejected, failed) and row counts.");
        api.MapGet("/imports/{id:guid}/errors.csv", GetImportErrors).ProducesContent("text/csv").WithSummary("The per-row error report of a rejected file.");
        api.MapPost("/sessions/{id:long}/rate", (long id, CertificationStore store, AgencyStore agencies, JobProgressStore progress, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
            StartRun("rate", id, store, agencies, progress, jobs, user, clock, ct)).WithSummary("Starts the rating job: every candidate passed, failed (which part) or ineligible (why).");
        api.MapPost("/sessions/{id:long}/issue", (long id, CertificationStore store, AgencyStore agencies, JobProgressStore progress, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct) =>
            StartRun("issue", id, store, agencies, progress, jobs, user, clock, ct)).WithSummary("Starts the issuance job for every passed, uncertified candidate.");
        RatingPreview.Map(api);
        api.MapGet("/runs/{id:guid}", GetRun).WithSummary("A rating or issuance job's progress.");
        api.MapGet("/sessions/{id:long}/decisions", (long id, long? after, int? limit, CertificationStore store, RegistryTokens tokens, ClaimsPrincipal user, CancellationToken ct) =>
            Decisions(id, after, limit, false, store, tokens, user, ct)).WithPageLimit(CertificationStore.MaxPage, CertificationStore.DefaultPage)
            .WithSummary("Each candidate's rating decision (after, limit paging).");
        api.MapGet("/sessions/{id:long}/certificates", (long id, long? after, int? limit, CertificationStore store, RegistryTokens tokens, ClaimsPrincipal user, CancellationToken ct) =>
            Decisions(id, after, limit, true, store, tokens, user, ct)).WithPageLimit(CertificationStore.MaxPage, CertificationStore.DefaultPage)
            .WithSummary("The session's issued certificates (after, limit paging).");
        api.MapPost("/appointments", Appoint).WithMetadata(new Platform.CreatedWithoutLocation()).WithSummary("Appoints a special-grade or chief technician (employer agencies only, never by exam); 201 with the appointment (no Location: it has no address of its own).");
        return endpoints;
    }

    public static string AgencyKey(this ClaimsPrincipal user) => user.FindFirstValue(SkillsHubClaims.Agency)!.Trim().ToUpperInvariant();

    static string ActorOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    static ProblemHttpResult OutsideScope(string detail, string field) =>
        TypedResults.Problem(title: "Outside the agency's scope", detail: detail, statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    internal static ProblemHttpResult NoSession(long id) => Problems.NotFound("Unknown session", $"Your agency has no evaluation session {id}.", "id");

    /// <summary>409 before the session's exam date: no results, rating or certificates yet (<see cref="AgencyRules.ExamNotHeld"/>).</summary>
    static ProblemHttpResult? ExamNotHeld(ExamSessionView session, TimeProvider clock) =>
        AgencyRules.ExamNotHeld(session.ExamOn, CertificateStore.TodayInChina(clock)) is { } detail
            ? Problems.Conflict("Exam not held yet", detail, "examOn")
            : null;

    /// <summary>409 before the exam, or (Levels 2 and 1) the review: a rating would count time not yet served, or reviews not yet held.</summary>
    internal static ProblemHttpResult? NotHeldYet(ExamSessionView session, TimeProvider clock) => ExamNotHeld(session, clock)
        ?? (AgencyRules.ReviewNotHeld(SkillLevels.FromDigit(session.Level), session.ReviewOn, CertificateStore.TodayInChina(clock)) is { } review
            ? Problems.Conflict("Review not held yet", review, "reviewOn") : null);

    static async Task<Results<Ok<AgencyView>, ProblemHttpResult>> GetAgency(AgencyStore agencies, ClaimsPrincipal user, CancellationToken ct) =>
        await agencies.AgencyAsync(user.AgencyKey(), ct) is { } agency
            ? TypedResults.Ok(agency)
            : TypedResults.Problem(title: "Agency not on file", detail: $"Agency {user.AgencyKey()} is not registered.", statusCode: StatusCodes.Status403Forbidden);

    static async Task<Results<Created<ExamSessionView>, ProblemHttpResult>> CreateSession(CreateSessionRequest request, CertificationStore store, AgencyStore agencies, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var errors = new List<(string, string)>();
        var occupation = request.Occupation?.Trim() ?? "";
        if (!OccupationCode.TryParse(occupation, out _))
        {
            errors.Add(("occupation", "An occupation code D-DD-DD-DD (major group 1 to 8, e.g. 6-18-02-04) is required."));
        }
        if (request.Level is not { } digit || !SkillLevels.TryFromDigit(digit, out _))
        {
            errors.Add(("level", "Level must be 5 (junior) to 1 (senior technician); special-grade and chief technician are appointed, not examined."));
        }
        if (request.ExamOn is null)
        {
            errors.Add(("examOn", "The exam date is required."));
        }
        errors.AddRange(AgencyRules.WorkTypeFaults(request.WorkType));
        if (errors.Count > 0)
        {
            return Problems.Validation([.. errors]);
        }
        var level = SkillLevels.FromDigit(request.Level!.Value);
        if (level.NeedsReview() && request.ReviewOn is null)
        {
            return Problems.Validation(("reviewOn", "Level 2 and Level 1 need a comprehensive review date."));
        }
        if (!level.NeedsReview() && request.ReviewOn is not null)
        {
            // Only Levels 2 and 1 have the review (docs/certification.md); a date for another level was stored and shown
            // though nothing reads it (found by an outside tester).
            return Problems.Validation(("reviewOn", "Only Level 2 and Level 1 have a comprehensive review: leave reviewOn out for this level."));
        }
        if (AgencyRules.SessionDateFaults(request.ExamOn!.Value, request.ReviewOn, CertificateStore.TodayInChina(clock)) is { Count: > 0 } dateFaults)
        {
            return Problems.Unprocessable("Session dates not acceptable", dateFaults);
        }
        if (!await agencies.OccupationExistsAsync(occupation, ct))
        {
            return Problems.NotFound("Unknown occupation", $"Occupation {occupation} is not in the catalogue.", "occupation");
        }
        var agency = await agencies.DomainAgencyAsync(user.AgencyKey(), ct);
        if (agency is null)
        {
            return TypedResults.Problem(title: "Agency not on file", detail: $"Agency {user.AgencyKey()} is not registered.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (agency.EvaluationRefusal(occupation, level) is { } refusal)
        {
            // The field at fault: the occupation when the agency is not on file for it at all, otherwise the level (found by an
            // outside tester: an unfiled occupation at a filed level named the level).
            var field = refusal == "outside-scope" && !agency.Scope.CoversOccupation(occupation) ? "occupation" : "level";
            return OutsideScope($"Agency {agency.Key} may not evaluate {occupation} at {level.EnglishName()} ({refusal}).", field);
        }
        var id = await store.CreateSessionAsync(agency.Key.ToString(), occupation, Domain.Text.TextInput.Normalise(request.WorkType ?? ""), request.Level.Value, request.ExamOn!.Value, request.ReviewOn, ActorOf(user), ct);
        return TypedResults.Created($"/api/agency/sessions/{id}", (await store.SessionAsync(agency.Key.ToString(), id, ct))!);
    }

    static async Task<Results<Ok<ExamSessionView>, ProblemHttpResult>> GetSession(long id, CertificationStore store, ClaimsPrincipal user, CancellationToken ct) =>
        await store.SessionAsync(user.AgencyKey(), id, ct) is { } session ? TypedResults.Ok(session) : NoSession(id);

    static async Task<Results<Accepted<Accepted202>, ProblemHttpResult>> Upload(string kind, long id, HttpRequest request, CertificationStore store, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var agency = user.AgencyKey();
        if (await store.SessionAsync(agency, id, ct) is not { } session)
        {
            return NoSession(id);
        }
        // Candidates may be registered ahead of the exam; results come from it (docs/certification.md, "Sessions").
        if (kind == "results" && ExamNotHeld(session, clock) is { } notHeld)
        {
            return notHeld;
        }
        var (content, fileName, problem) = await ReadUploadAsync(request, ct);
        if (problem is not null)
        {
            return problem;
        }
        var importId = await store.CreateImportAsync(kind, agency, id, fileName, content!, ActorOf(user), ct);
        var jobId = jobs.Enqueue<CertificationJobs>(j => j.Import(importId, CancellationToken.None));
        await store.SetImportJobAsync(importId, jobId);
        var location = $"/api/agency/imports/{importId}";
        return TypedResults.Accepted(location, new Accepted202(importId, "queued", location));
    }

    /// <summary>
    /// Accepts multipart/form-data with one file, the field "file", or the file itself as the body. A form with no file,
    /// several, or one under another name is 400 naming file (found by an outside tester: a second file was ignored
    /// without a word, and a file under any name was taken).
    /// </summary>
    internal static async Task<(byte[]? Content, string FileName, ProblemHttpResult? Problem)> ReadUploadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > RequestBodies.MaxUploadBytes)
        {
            return (null, "", Problems.TooLarge("body", RequestBodies.MaxUploadBytes));
        }
        byte[] content;
        string fileName;
        if (request.HasFormContentType)
        {
            IFormFile? file;
            try
            {
                var form = await request.ReadFormAsync(ct);
                if (form.Files.Count > 1 || form.Files is [{ Name: not "file" }])
                {
                    var sent = string.Join(", ", form.Files.Select(f => $"'{f.Name}' ({f.FileName})"));
                    return (null, "", Problems.Validation(("file", $"Send one file, as the form field 'file'; the form has {form.Files.Count}: {sent}.")));
                }
                file = form.Files.GetFile("file");
            }
            catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException)
            {
                // A multipart body cut short or malformed, said in the client's terms (found by an outside tester: the
                // framework's own "... may have already been read by another component" read as a server fault).
                return (null, "", Problems.Validation(("file", $"The form upload is cut short or malformed: send the file as a multipart/form-data part named 'file', ended by the closing boundary given in Content-Type (or the file alone as the body).")));
            }
            if (file is null)
            {
                return (null, "", Problems.Validation(("file", "Attach the file as the form field 'file'.")));
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
            fileName = file.FileName;
        }
        else
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
            fileName = Uri.UnescapeDataString(request.Headers["X-File-Name"].FirstOrDefault() ?? "upload.csv");
        }
        if (content.Length == 0)
        {
            return (null, "", Problems.Validation(("file", "The file is empty.")));
        }
        // The name is stored and shown on /agency: it meets the text rule (docs/security.md; an outside tester found a line break and
        // a right-to-left override kept in it); a fault is said as read after X-File-Name's percent-decoding, its likely source.
        // Only the last part of a path, Windows' separators as well as '/' (found by an outside tester: "..\\..\\a.csv" sent as
        // a form's file name was kept whole, where the same path in X-File-Name was cut to "a.csv").
        var name = fileName.Split('/', '\\')[^1] is { Length: > 0 } given ? given : "upload.csv";
        if (Domain.Text.TextInput.Check(name, maxLength: 200) is { } fault)
        {
            return (null, "", Problems.Unprocessable("File name not acceptable", [("file", $"The file's name{(!request.HasFormContentType && request.Headers["X-File-Name"].FirstOrDefault() != fileName ? " (as read after percent-decoding X-File-Name)" : "")}: {fault}")]));
        }
        // Stricter than a person's name: no invisible character anywhere in it (a zero-width space, a soft hyphen, a byte
        // order mark), and bytes that were not UTF-8 (read as U+FFFD) are refused, not stored as a name that lost them.
        if (name.Any(c => c == '\uFFFD' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            return (null, "", Problems.Unprocessable("File name not acceptable",
                [("file", "The file's name has an invisible character or bytes that are not UTF-8; send it percent-encoded UTF-8 (X-File-Name), or rename the file.")]));
        }
        return (content, name, null);
    }

    static async Task<Results<Ok<ImportView>, ProblemHttpResult>> GetImport(Guid id, CertificationStore store, ClaimsPrincipal user, CancellationToken ct) =>
        await store.ImportAsync(id, user.AgencyKey(), ct) is { } import ? TypedResults.Ok(import) : Problems.NotFound("Unknown import", $"Your agency has no import {id}.", "id");

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetImportErrors(Guid id, CertificationStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await store.ImportAsync(id, user.AgencyKey(), ct) is not { } import)
        {
            return Problems.NotFound("Unknown import", $"Your agency has no import {id}.", "id");
        }
        var listed = await store.ImportErrorsAsync(id, ct);
        var report = CsvImport.ErrorReport(listed, import.ErrorCount - listed.Count);
        return CsvDownload.Of(report, $"{Path.GetFileNameWithoutExtension(import.FileName)}-errors.csv");
    }

    static readonly string[] RunKinds = ["rate", "issue"];

    static async Task<Results<Accepted<RunView>, ProblemHttpResult>> StartRun(string kind, long id, CertificationStore store, AgencyStore agencies, JobProgressStore progress, IBackgroundJobClient jobs, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var agencyKey = user.AgencyKey();
        var session = await store.SessionAsync(agencyKey, id, ct);
        if (session is null)
        {
            return NoSession(id);
        }
        var agency = await agencies.DomainAgencyAsync(agencyKey, ct);
        if (agency?.EvaluationRefusal(session.Occupation, SkillLevels.FromDigit(session.Level)) is { } refusal)
        {
            return OutsideScope($"Agency {agencyKey} may no longer rate or certify this session ({refusal}).", "id");
        }
        // Eligibility is reckoned on the exam date: before it, a rating would count time not yet served (docs/certification.md,
        // "Sessions"); Levels 2 and 1 are decided on the review too: before its date no candidate has a real review mark.
        if (NotHeldYet(session, clock) is { } notHeld)
        {
            return notHeld;
        }
        if (await progress.ActiveAsync(id, kind, ct) is { } active)
        {
            return AlreadyRunning(kind, id, active);
        }
        if (kind == "rate" && session.Candidates == 0)
        {
            return Problems.Conflict("Nothing to rate", "Upload the session's candidates and results first.", "id");
        }
        if (kind == "issue" && await store.PendingIssuanceAsync(id, ct) == 0)
        {
            return Problems.Conflict("Nothing to issue", "No passed candidate of this session is waiting for a certificate.", "id");
        }
        // Checked again as the run is created: two requests sent at once start one run (docs/certification.md, "Jobs and their progress").
        var (runId, created) = await progress.CreateUnlessActiveAsync(kind, agencyKey, id, ActorOf(user), ct);
        if (!created)
        {
            return AlreadyRunning(kind, id, runId);
        }
        var jobId = kind == "rate"
            ? jobs.Enqueue<CertificationJobs>(j => j.Rate(runId, null, CancellationToken.None))
            : jobs.Enqueue<CertificationJobs>(j => j.Issue(runId, null, CancellationToken.None));
        await progress.SetJobAsync(runId, jobId);
        return TypedResults.Accepted($"/api/agency/runs/{runId}", RunView.From((await progress.GetAsync(runId, agencyKey, RunKinds, ct))!));
    }

    static ProblemHttpResult AlreadyRunning(string kind, long session, Guid active) =>
        Problems.Conflict("Already running", $"The {kind} job for session {session} is already queued or running.", "id", new Dictionary<string, object?> { ["runId"] = active });

    static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetRun(Guid id, JobProgressStore progress, ClaimsPrincipal user, CancellationToken ct) =>
        await progress.GetAsync(id, user.AgencyKey(), RunKinds, ct) is { } run ? TypedResults.Ok(RunView.From(run)) : Problems.NotFound("Unknown run", $"Your agency has no job run {id}.", "id");

    static async Task<Results<Ok<IReadOnlyList<DecisionView>>, ProblemHttpResult>> Decisions(long id, long? after, int? limit, bool certified, CertificationStore store,
        RegistryTokens tokens, ClaimsPrincipal user, CancellationToken ct)
    {
        if (Paging.Refusal(after, limit, CertificationStore.MaxPage) is { } refused)
        {
            return refused;
        }
        if (await store.SessionAsync(user.AgencyKey(), id, ct) is null)
        {
            return NoSession(id);
        }
        // Each certificate's access token, so the officer's link opens its full record as its QR code does (docs/security.md).
        var decisions = await store.DecisionsAsync(id, after ?? 0, limit ?? CertificationStore.DefaultPage, certified, ct);
        return TypedResults.Ok<IReadOnlyList<DecisionView>>([.. decisions.Select(d => d.CertificateNumber is { } n ? d with { AccessToken = tokens.For(n) } : d)]);
    }

    /// <summary>The levels an appointment gives, by the name a request uses (the OpenAPI document lists the names).</summary>
    public static readonly IReadOnlyDictionary<string, SkillLevel> AppointedLevels = new Dictionary<string, SkillLevel>
    {
        ["special-grade"] = SkillLevel.SpecialGrade,
        ["chief"] = SkillLevel.Chief,
    };

    static async Task<Results<Created<AppointmentView>, ProblemHttpResult>> Appoint(AppointmentRequest request, AppointmentStore store, AgencyStore agencies, ClaimsPrincipal user, TimeProvider clock, CancellationToken ct)
    {
        var level = AppointedLevels.TryGetValue(request.Level?.Trim().ToLowerInvariant() ?? "", out var named) ? named : (SkillLevel?)null;
        var idType = request.IdType?.Trim().ToLowerInvariant() ?? "";
        var idNumber = IdNumbers.Plain(request.IdNumber);
        var occupation = request.Occupation?.Trim() ?? "";
        // Each required part named when missing (found by an outside tester: a missing ID type or occupation was answered
        // as an unknown person or as outside the scope).
        var errors = new List<(string, string)>();
        if (!IdNumbers.Types.Contains(idType))
        {
            errors.Add(("idType", $"The person's ID type is required: one of {IdNumbers.TypeNames}."));
        }
        if (idNumber.Length == 0)
        {
            errors.Add(("idNumber", "The person's full ID number is required."));
        }
        // A number no person can have is named as such, as a candidates file and a promotion's certificate name it (found by
        // an outside tester: it was answered as an unknown person).
        else if (IdNumbers.Types.Contains(idType) && IdNumbers.Problem(idType, idNumber, CertificateStore.TodayInChina(clock)) is { } idProblem)
        {
            errors.Add(("idNumber", idProblem));
        }
        if (!OccupationCode.TryParse(occupation, out _))
        {
            errors.Add(("occupation", "An occupation code D-DD-DD-DD (major group 1 to 8, e.g. 6-18-02-04) is required."));
        }
        if (level is null)
        {
            errors.Add(("level", "Appointments are for 'special-grade' or 'chief' technicians; other levels are obtained by evaluation."));
        }
        if (errors.Count > 0 || level is not { } appointed)
        {
            return Problems.Validation([.. errors]);
        }
        var today = CertificateStore.TodayInChina(clock);
        var on = request.AppointedOn ?? today;
        if (AgencyRules.AppointmentDateRefusal(on, today, IdNumbers.BirthDate(idType, idNumber)) is { } dateRefusal)
        {
            return Problems.Unprocessable("Appointment date not acceptable", [("appointedOn", dateRefusal)]);
        }
        var agency = await agencies.DomainAgencyAsync(user.AgencyKey(), ct);
        if (agency is null)
        {
            return TypedResults.Problem(title: "Agency not on file", detail: $"Agency {user.AgencyKey()} is not registered.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (agency.AppointmentRefusal(occupation, appointed) is { } refusal)
        {
            return OutsideScope(refusal switch
            {
                "employer-agency-only" => "Special-grade and chief technicians are appointed only by employer (Y) agencies.",
                "level-outside-scope" => $"Agency {agency.Key} is not on file to appoint {appointed.EnglishName()} in {occupation}.",
                _ => $"Agency {agency.Key} may not appoint in {occupation} ({refusal}).",
            }, refusal == "outside-scope" ? "occupation" : "level");
        }
        // Only this agency's own people (agency isolation, docs/security.md): another agency's registration answers like none.
        if (await store.OwnCandidateIdAsync(agency.Key.ToString(), idType, idNumber, ct) is not { } candidate)
        {
            return Problems.NotFound("Unknown person", "Your agency has no candidate with this ID; import them first.", "idNumber");
        }
        if (await store.AppointAsync(agency.Key.ToString(), candidate, occupation, appointed, on, ActorOf(user), ct) is { } refused)
        {
            return refused.AlreadyHeld is not { } held
                ? Problems.Conflict("Senior technician level not held", $"Special-grade and chief technicians are chosen from senior technicians: this person holds no Level 1 (高级技师) in {occupation} on {on:yyyy-MM-dd} by your records ({(refused.Highest is { } highest ? $"highest: {highest.EnglishName()}" : "no level")}).", "level")
                : held == appointed
                ? Problems.Conflict("Already appointed", "This person already holds this appointment.", "idNumber")
                : Problems.Conflict("Level already held", $"This person already holds {held.EnglishName()} ({held.ChineseName()}) in this occupation; the appointment adds nothing.", "level");
        }
        return TypedResults.Created((string?)null, new AppointmentView(agency.Key.ToString(), idType, IdNumbers.Mask(idNumber), occupation,
            appointed == SkillLevel.Chief ? "chief" : "special-grade", appointed.ChineseName(), appointed.EnglishName(), on));
    }
}
