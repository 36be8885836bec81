using Hangfire;
using Hangfire.Dashboard;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using SkillsHub.Server.Jobs;

namespace SkillsHub.Server.Hosting;

public static class JobsRegistration
{
    /// <summary>The most Hangfire workers a node runs (Jobs:WorkerCount): each holds a database connection while it works.</summary>
    public const int MaxWorkers = 100;

    /// <summary>
    /// Hangfire on the same PostgreSQL database, in its own schema that Hangfire creates itself.
    /// Registered after Orleans so the silo is up before any job runs. The progress of the jobs people wait on is
    /// <see cref="JobProgressStore"/>'s.
    /// </summary>
    public static WebApplicationBuilder AddSkillsHubJobs(this WebApplicationBuilder builder, string connectionString)
    {
        var jobs = builder.Configuration.GetSection("Jobs");
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = jobs["Schema"] ?? "hangfire",
            PrepareSchemaIfNecessary = true,
            // A new job wakes the workers through PostgreSQL's NOTIFY on this database, on every node, instead
            // of at their next queue poll. Without it, Hangfire.PostgreSql wakes workers with an event
            // shared by every storage in the process: one node's job could wake another node's worker.
            EnableLongPolling = true,
            // Should a notification be missed (a worker not yet listening), an idle worker still looks at the
            // queue every 2 s: one cheap query per idle worker, and a job never sits queued for long.
            QueuePollInterval = TimeSpan.FromSeconds(2),
            // A job whose worker is gone (its node killed or lost mid-job) is taken up again by any node once its fetch
            // is this old; a running job renews its fetch in the background, so a long job is never taken twice. Found
            // by trying it: an import whose node was killed stayed "running" after the restart, for Hangfire.PostgreSql's
            // default of 30 minutes (docs/operations.md, "Jobs after a crash").
            InvisibilityTimeout = TimeSpan.FromSeconds(Platform.WholeNumberSetting.Read(builder.Configuration, "Jobs:InvisibilityTimeoutSeconds", 60, 10, 3600, "seconds")),
            UseSlidingInvisibilityTimeout = true,
        };
        // The node's storage and job activator are its own services, not Hangfire's process-wide JobStorage.Current
        // and JobActivator.Current (which AddHangfire falls back to only when these are not registered): the
        // clients, the server and the dashboard all take them from here, so two nodes in one process (the tests)
        // never queue into or run jobs from each other's database.
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options));
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new NodeLogProvider(services.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddSingleton<JobProgressStore>();
        // Read now, so a value that is not a number stops the start in one line (found by an outside tester: a stack trace).
        // At most MaxWorkers (docs/deployment.md, "Start checks"): 100,000 were taken, opened about 200 database sessions,
        // and their stop outlasted the host's 30 s (an outside tester).
        var workers = Platform.WholeNumberSetting.Read(builder.Configuration, "Jobs:WorkerCount", Math.Clamp(Environment.ProcessorCount, 2, MaxWorkers), 1, MaxWorkers);
        builder.Services.AddHangfireServer(o =>
        {
            o.ServerName = $"{Environment.MachineName}:{builder.Configuration["Orleans:SiloPort"] ?? "11111"}";
            o.WorkerCount = workers;
        });
        return builder;
    }

    /// <summary>
    /// The dashboard is for admins only (signed in with the console's cookie). Its statistics feed reads a posted form
    /// whatever the method, so any other method than POST answers 405 here instead of failing inside Hangfire.
    /// </summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/jobs/stats", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch], (HttpContext context) =>
        {
            // A personal API token does not open the dashboard, whatever the method (found by an outside tester: 405 here,
            // 403 everywhere else).
            if (!AdminOnlyDashboardFilter.Allows(context.User))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden);
            }
            context.Response.Headers.Allow = HttpMethods.Post;
            return TypedResults.Problem(title: "Method not allowed", detail: "The jobs statistics are read with POST, as the dashboard does.",
                statusCode: StatusCodes.Status405MethodNotAllowed);
        }).RequireAuthorization(Security.Policies.Admin).ExcludeFromDescription();
        return endpoints.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboardFilter()],
            DashboardTitle = "SkillsHub jobs",
            AppPath = "/console",
        }).RequireAuthorization(Security.Policies.Admin);
    }

    /// <summary>
    /// An admin signed in with the console's cookie: the dashboard is a page for people, whose buttons carry the sign-in's
    /// antiforgery token. A personal API token does not open it (found by an outside tester: a token read every page, and
    /// every button answered 403).
    /// </summary>
    sealed class AdminOnlyDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => Allows(context.GetHttpContext().User);

        public static bool Allows(System.Security.Claims.ClaimsPrincipal user) => user.IsInRole(Security.Roles.Admin)
            && user.Identity?.AuthenticationType != Security.ApiTokenAuthenticationHandler.SchemeName;
    }

    /// <summary>
    /// Hangfire's log provider is process-wide: each node that starts makes its own logger factory the provider.
    /// Outside the tests a process runs one node; in the tests, a node that stopped must not break the others'
    /// job creation (Hangfire asks the provider for a logger whenever it builds a retry filter), so a provider whose
    /// node is gone hands out loggers that write nothing.
    /// </summary>
    sealed class NodeLogProvider(ILoggerFactory loggers) : Hangfire.Logging.ILogProvider
    {
        readonly AspNetCoreLogProvider _logs = new(loggers);

        public Hangfire.Logging.ILog GetLogger(string name)
        {
            try
            {
                return _logs.GetLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return Silent.Instance;
            }
        }

        sealed class Silent : Hangfire.Logging.ILog
        {
            public static readonly Silent Instance = new();

            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
        }
    }
}
