using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using SkillsHub.Server.Api;
using SkillsHub.Server.Certification;
using SkillsHub.Server.Credentials;
using SkillsHub.Server.Observability;

namespace SkillsHub.Server.Hosting;

public static class WebRegistration
{
    public const string PublicPolicy = Security.Policies.Public;

    public static WebApplicationBuilder AddSkillsHubObservability(this WebApplicationBuilder builder)
    {
        // Orleans 10 logs every Polly placement retry at Information.
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        // Structured logs carry the full instant in UTC: the console's shared "HH:mm:ss " time of day (appsettings.json) is
        // for a person reading the simple format (found by an outside tester: JSON lines with no date or zone).
        builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton<SkillsHubMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("SkillsHub", serviceInstanceId: $"{Environment.MachineName}:{builder.Configuration["Orleans:SiloPort"] ?? "11111"}"))
            .WithMetrics(m => ((IDeferredMeterProviderBuilder)m
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter(SkillsHubMetrics.MeterName)
                .AddNpgsqlInstrumentation(_ => { })
                .AddPrometheusExporter())
                .Configure(OnlyThisNodesMeters));
        // Exported only where a collector is configured (standard OTEL_* variables). Traces are recorded
        // only then: a listener makes every request and grain call build its spans, exported or not.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(t => t
                    .AddAspNetCoreInstrumentation()
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
                .UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// A node exports its own measurements. ASP.NET Core makes its meters through the node's <see cref="IMeterFactory"/>,
    /// and OpenTelemetry subscribes to meters by name across the whole process: in a process with several nodes (the
    /// tests) each node's /metrics would also count the others' requests, and keep a metric stream for every
    /// instrument of every node. Meters made by another node's factory are dropped (Orleans makes its meter through the
    /// node's factory too, and so is SkillsHub's own, <see cref="SkillsHubMetrics"/>); process-wide meters (Npgsql, the
    /// runtime) have no factory and stay.
    /// Every instrument but the two labelled by route keeps at most <see cref="FewAttributeSets"/> sets of attributes:
    /// theirs are grain types, message kinds, heap generations, outcomes, policies, a few dozen at most. OpenTelemetry's
    /// default of 2,000 set aside 144 KB for every stream: 22 MB of a node's 26 MB heap for Orleans' and the runtime's
    /// alone; a process holding four nodes went from 150 MB to 78 MB with those limited, and to 49 MB with every other
    /// stream limited too (docs/operations.md, "Metrics").
    /// </summary>
    static void OnlyThisNodesMeters(IServiceProvider services, MeterProviderBuilder metrics)
    {
        var own = services.GetRequiredService<IMeterFactory>();
        metrics.AddView(instrument => instrument switch
        {
            { Meter.Scope: { } scope } when !ReferenceEquals(scope, own) => MetricStreamConfiguration.Drop,
            { Name: "http.server.request.duration" or "aspnetcore.routing.match_attempts" } => null,
            _ => new MetricStreamConfiguration { CardinalityLimit = FewAttributeSets },
        });
    }

    /// <summary>
    /// The sets of attributes an instrument keeps, but the request duration and the route matches (their labels include
    /// the route, of which there are about 100; <see cref="OnlyThisNodesMeters"/>).
    /// </summary>
    const int FewAttributeSets = 200;

    static readonly System.Text.Encoding LenientUtf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static WebApplicationBuilder AddSkillsHubWeb(this WebApplicationBuilder builder)
    {
        // A request header whose value is not valid UTF-8 reaches the app with U+FFFD for the bad bytes, so the rule for that
        // header answers (problem details naming it, with the security headers) instead of Kestrel's empty 400 before any
        // middleware runs. Found by an outside tester: a Latin-1 byte in Idempotency-Key (docs/security.md, "Headers").
        // No "Server: Kestrel" on every answer: it tells a prober what runs, and costs a phone 16 bytes a response
        // (docs/security.md, "Headers").
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.RequestHeaderEncodingSelector = _ => LenientUtf8;
            k.AddServerHeader = false;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Competitions.CompetitionStore>();
        builder.Services.AddProblemDetails();
        // A parameter that does not bind throws, so the exception handler answers problem details naming it
        // (Hosting/BadRequestFields.cs) instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // {number:skill}: a skill number as the docs write it, 7 or 07 (Hosting/SkillNumberRouteConstraint.cs).
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<SkillNumberRouteConstraint>(SkillNumberRouteConstraint.Name));
        builder.AddProblemCodes();
        builder.AddSkillsHubTransfer();
        builder.Services.AddOpenApi(OpenApiContract.Configure);
        // Enums travel as names ("Frozen", "Gold"), in HTTP answers and hub messages alike.
        // A key given twice in a body is ambiguous: refused (400 naming it), not "the last one wins".
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // Names only: a number or a comma list is not an enum value (Platform/EnumNames.cs does the same, exactly, for
            // the bodies the server reads itself; this converter stays the framework's so the API document lists the names).
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
            o.SerializerOptions.AllowDuplicateProperties = false;
            // The contract says number: "5" is not a level, in the bodies the framework binds as in those read by
            // Platform/Body.cs (found by an outside tester: sessions and agencies took numbers written as strings).
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            // An instant says its offset here too (found by an outside tester: a token's expiresAt without one was read as
            // UTC, eight hours off for a console in China time, where marks and freeze times refused it).
            o.SerializerOptions.Converters.Add(new Platform.InstantWithOffset());
        });
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .AddMessagePackProtocol(o => o.SerializerOptions = Hubs.HubProtocols.MessagePackOptions);
        // Hub methods' failures are logged by HubFaults, a caller's mistake below the error level (docs/operations.md).
        builder.Services.AddSignalR(o => Microsoft.AspNetCore.SignalR.HubOptionsExtensions.AddFilter<Hubs.HubFaults>(o));
        builder.Logging.AddFilter(Hubs.HubFaults.DispatcherCategory, LogLevel.None);
        // Checked now, so a value that is not a number stops the start in one line (found by an outside tester: "abc" started a
        // node whose boards never moved, two warnings a second).
        var pushes = builder.Configuration["Leaderboards:PushesPerSecond"];
        if (pushes is not null && !(double.TryParse(pushes, NumberStyles.Float, CultureInfo.InvariantCulture, out var perSecond) && perSecond > 0 && double.IsFinite(perSecond)))
        {
            throw new StartupException($"Leaderboards:PushesPerSecond must be a number above 0 (pushes per skill per second, at most 50 are made), not '{pushes}'.");
        }
        builder.Services.Configure<SkillsHub.Grains.LeaderboardOptions>(builder.Configuration.GetSection("Leaderboards"));
        builder.Services.AddSingleton<Feed.FeedStore>();
        builder.Services.AddSingleton<Feed.FeedFollowers>();
        builder.Services.AddSingleton<Hubs.LeaderboardNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Hubs.LeaderboardNotifier>());
        builder.Services.AddTransient<Seeding.DemoAgencySeeder>();
        // Read here, when the node is made, so a value that is not true or false stops the start in one line.
        BooleanSetting.Read(builder.Configuration, "Demo:Seed", false);
        builder.Services.AddHostedService<Seeding.DemoSeeder>();
        // Each area registers its own rate-limiting policies (public lookups, pairing) with Configure<RateLimiterOptions>.
        builder.Services.AddRateLimiter(o => o.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        builder.AddPublicCors();
        builder.AddMetricsEndpoint();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);
        return builder;
    }

    // SkillsHub's own page around Scalar: its language, a way home, and a line that says the reference is loading (its
    // script is about 1.4 MB compressed; the page was blank for seconds). Scalar replaces #app's content when it starts.
    // The vendor's "Powered by" link (to its site, with tracking tags) is hidden by the page's style.
    const string ApiDocsPage = """
        <!doctype html>
        <html lang="en">
        <head>
            <title>SkillsHub API</title>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <link rel="stylesheet" href="/api-docs/skillshub.css" />
        </head>
        <body>
            <header class="skillshub-bar"><a href="/">SkillsHub</a> <span>API reference</span></header>
            <div id="app"><p class="skillshub-loading">Loading the API reference…</p></div>
            <script src="/api-docs/scalar.js"></script>
            <script type="module" src="/api-docs/init.js"></script>
        </body>
        </html>
        """;

    const string ApiDocsStyle = """
        .skillshub-bar { font: 600 15px system-ui, sans-serif; padding: 10px 16px; background: #1b1f24; color: #fff; }
        .skillshub-bar a { color: #fff; }
        .skillshub-bar span { font-weight: 400; opacity: 0.8; margin-left: 8px; }
        .skillshub-loading { font: 16px system-ui, sans-serif; color: #5c6670; padding: 24px 16px; }
        a[href^="https://scalar.com/"] { display: none !important; }
        """;

    // No default fonts: they would be fetched from Scalar's CDN (no outside calls; the CSP would refuse them anyway). No
    // vendor controls either: Scalar's AI chat, its developer tools ("Deploy", "Generate SDK", "Share") and its hosted client
    // (whose link sent this instance's contract address to a third party) are its product, not this API's (found by an
    // outside tester). The sidebar names operations by method and path.
    const string ApiDocsInit = """
        import { initialize } from './scalar.aspnetcore.js';
        initialize('%2Fapi-docs%2F', false, {"favicon":"favicon.svg","_integration":"dotnet","withDefaultFonts":false,"agent":{"disabled":true},"mcp":{"disabled":true},"showDeveloperTools":"never","hideClientButton":true,"operationTitleSource":"path","sources":[{"title":"v1","url":"openapi/v1.json"}]}, '');
        """;

    public static WebApplication MapSkillsHub(this WebApplication app)
    {
        // First: everything after it (rate limits, audit, logs) sees the client behind a trusted proxy (Hosting/ProxyRegistration.cs).
        app.UseForwardedHeaders();
        app.UseMiddleware<Security.SecurityHeaders>();
        // A body over its endpoint's limit, answered before it was read, ends the connection: the answer says so.
        app.UseConnectionCloseAfterOversizeBodies();
        // Early, so the answers written before any endpoint (authentication, authorization, the route and code checks) are
        // covered too (found by an outside tester: their 400, 401, 403 and 404 to signed-in callers and writes had none).
        app.UseNoStoreForPrivateAnswers();
        app.UseAcceptEncodingWildcard();
        app.UseResponseCompression();
        app.UseExceptionHandler();
        app.UseStatusCodePages(ErrorPages.WriteAsync);
        app.UseVaryByAccept();

        var web = new PhysicalFileProvider(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "web")).FullName);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = web });
        app.UseWeakPageValidators();
        app.UsePrecompressedAssets(web);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = web, OnPrepareResponse = TransferRegistration.CacheStaticFile });
        app.UseCors();
        app.UseCompetitionCodeCheck();
        app.UseLookupMetrics();
        app.UseMiddleware<Security.FreshSessionOnSignIn>();
        app.UseAuthentication();
        Security.RefusedBearerTokens.UseRefusedBearerTokens(app);
        // After sign-in is known: a malformed route value on an endpoint that needs a signed-in caller is 401 to anyone else.
        app.UseRouteValueCheck();
        app.UseMiddleware<Security.RequestForgery>();
        app.UseAuthorization();
        app.UseDeclaredBodies();
        app.UseSingleQueryValues();
        Security.RateLimiting.UseRateLimits(app);
        app.UseCompetitionsOnFile();
        app.UseWriteConditions();
        app.UsePublicReadCaching();
        app.UseOutputCache();
        // Last before the endpoint, where the binder would refuse the value itself.
        app.UseOptionalValueCheck();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).RequireAuthorization(PublicPolicy);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable, [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        }).RequireAuthorization(PublicPolicy);
        // One document, at its one address: another name is the plain 404 problem, not the package's text/plain answer (an
        // outside tester).
        app.MapOpenApi("/openapi/v1.json").RequireAuthorization(PublicPolicy).CacheOutput(TransferRegistration.ApiDocumentCache);
        // The package maps its assets (/api-docs/scalar.js, ...) and its own page, which starts with an inline script, at
        // /api-docs/{documentName}: only the assets are kept, any other name is the unknown address it is (found by an
        // outside tester). /api-docs itself is the page below.
        app.MapScalarApiReference("/api-docs", o => o.WithTitle("SkillsHub API")).RequireAuthorization(PublicPolicy)
            .AddEndpointFilter((context, next) => context.HttpContext.Request.RouteValues.ContainsKey("documentName")
                ? ValueTask.FromResult<object?>(Results.NotFound()) : next(context));
        // Scalar's own page starts it with an inline script, which the CSP forbids (script-src 'self'):
        // the same start-up comes from a script file; its assets are the package's, served locally.
        app.MapGet("/api-docs", (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
            ? Results.Content(ApiDocsPage, "text/html; charset=utf-8")
            : Results.Redirect("/api-docs/")).RequireAuthorization(PublicPolicy).ExcludeFromDescription();
        app.MapGet("/api-docs/init.js", () => Results.Content(ApiDocsInit, "text/javascript; charset=utf-8")).RequireAuthorization(PublicPolicy).ExcludeFromDescription();
        app.MapGet("/api-docs/skillshub.css", () => Results.Content(ApiDocsStyle, "text/css; charset=utf-8")).RequireAuthorization(PublicPolicy).ExcludeFromDescription();
        app.MapJobsDashboard();
        // A scrape is a read: other methods are 405 as on every other route (the exporter maps any method; found by an outside tester).
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(MetricsRegistration.ReaderPolicy).WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));
        app.Services.GetRequiredService<SkillsHubMetrics>().ObserveJobs(app.Services.GetRequiredService<Hangfire.JobStorage>());

        app.UseHubProblems(Hubs.LeaderboardHub.Path);
        app.UseSpectatorLimit(Hubs.LeaderboardHub.Path, Feed.FeedApi.Route);
        app.MapHub<Hubs.LeaderboardHub>(Hubs.LeaderboardHub.Path).RequireAuthorization(Security.Policies.Public);
        // Every JSON form passes the text rule (docs/security.md); the marks endpoint's hot path carries no names.
        var forms = app.MapGroup("").AddEndpointFilter<TextInputFilter>();
        forms.MapCompetitionsApi();
        forms.MapAuthApi();
        forms.MapCertification();
        forms.MapCredentials();
        forms.MapSetupApi();
        app.MapMarksApi();
        forms.MapResultsApi();
        Feed.FeedApi.MapFeedApi(app);
        JudgingReports.JudgingReportApi.MapJudgingReportApi(forms);
        // A board is /board/{code} or /board/{code}/{skill}; any other address under /board is the 404 page (docs/pages.md, "Errors").
        // The skill is written as every skill route takes it, 7 or 07 (Hosting/SkillNumberRouteConstraint.cs): /board/X/007
        // is the 404 page too, not skill 7's board (found by an outside tester).
        foreach (var board in new[] { "/board/{code}", "/board/{code}/{skill:skill}" })
        {
            app.MapMethods(board, Platform.HtmlPages.Methods, (HttpContext http) => Platform.HtmlPages.Page(http, "board.html")).RequireAuthorization(Security.Policies.Public).ExcludeFromDescription();
        }
        app.MapMethods("/console/{**rest}", Platform.HtmlPages.Methods, (HttpContext http) => Platform.HtmlPages.Page(http, "console.html")).RequireAuthorization(Security.Policies.Public).ExcludeFromDescription();
        app.MapMethods("/judge/{**rest}", Platform.HtmlPages.Methods, (HttpContext http) => Platform.HtmlPages.Page(http, "judge.html")).RequireAuthorization(Security.Policies.Public).ExcludeFromDescription();
        // Last: it marks the public reads among everything mapped above (Hosting/PublicCors.cs).
        app.MapPublicCors();
        return app;
    }
}
