using Hangfire;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

public static class CertificationRegistration
{
    public const string PromotionsJob = "certification-promotions";
    public const string ConsistencyJob = "certification-consistency";

    public static WebApplicationBuilder AddCertification(this WebApplicationBuilder builder)
    {
        // The public lookup's settings, read by services made at the first lookup, are checked when the node is made: a
        // value that is not a whole number in range stops the start in one line (an outside tester: "abc" started a node
        // whose every certificate lookup then answered 500).
        var lookup = builder.Configuration;
        WholeNumberSetting.Read(lookup, "Certification:Lookup:ProofMilliseconds", 25, 0, 10_000, "milliseconds");
        WholeNumberSetting.Read(lookup, "Certification:Lookup:DisclosureWindowMinutes", 60, 1, 10_080, "minutes");
        WholeNumberSetting.Read(lookup, "Certification:Lookup:DisclosuresPerCertificate", 10, 1);
        WholeNumberSetting.Read(lookup, "Certification:Lookup:SearchesPerHolder", 10, 1);
        WholeNumberSetting.Read(lookup, "Certification:Lookup:CacheSeconds", 60, 0, 86_400, "seconds");
        WholeNumberSetting.Read(lookup, "Certification:Lookup:CacheEntries", 50_000, 1);
        WholeNumberSetting.Read(lookup, "Certification:Lookup:InvalidationMilliseconds", 1000, 100, 60_000, "milliseconds");
        builder.Services.AddSingleton<ImportStore>();
        builder.Services.AddTransient<ImportProcessor>();
        builder.Services.AddTransient<CertificationJobs>();
        builder.Services.AddTransient<RatingPreview>();
        builder.Services.AddSingleton<CertificationStore>();
        builder.Services.AddSingleton<AppointmentStore>();
        builder.Services.AddSingleton<CertificateStore>();
        builder.Services.AddSingleton<AgencyStore>();
        builder.Services.AddSingleton<RegistryTokens>();
        builder.Services.AddSingleton<CertificateLookupCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CertificateLookupCache>());
        builder.Services.AddSingleton<DisclosureGuard>();
        builder.Services.AddSingleton<ProofPacing>();
        builder.Services.AddSingleton<PromotionStore>();
        builder.Services.AddSingleton<IPublishedResultsSource, GrainPublishedResults>();
        builder.Services.AddHostedService<CertificationStartup>();

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CertificationPolicies.AgencyOfficer, p => p.RequireRole(Roles.AgencyOfficer).RequireClaim(SkillsHubClaims.Agency));
        return builder;
    }

    /// <summary>
    /// The recurring jobs' schedules, checked before the node's database is touched (at the start, docs/deployment.md "Start checks")
    /// and read again when the jobs are registered.
    /// </summary>
    public static (string Promotions, string Consistency) Schedules(IConfiguration configuration) =>
        (CronSetting.Read(configuration, "Certification:PromotionsCron", Cron.Hourly()),
         CronSetting.Read(configuration, "Certification:ConsistencyCron", NightlyInChina));

    /// <summary>
    /// 02:00 in China (UTC+8, no daylight saving time) as Hangfire's UTC cron: 18:00 UTC the day before. Written in UTC
    /// rather than with a time zone id, which a machine without time zone data could not resolve (found by an outside
    /// tester: the "nightly" check ran at 10:00 in China).
    /// </summary>
    const string NightlyInChina = "0 18 * * *";

    public static IEndpointRouteBuilder MapCertification(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAgencyApi();
        endpoints.MapAgencyPromotions();
        endpoints.MapCertificateLookup();
        endpoints.MapCertificationAdmin();
        endpoints.MapCertificationPages();
        return endpoints;
    }

    static IEndpointRouteBuilder MapCertificationPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/agency", Platform.HtmlPages.Methods, (HttpContext http) => Platform.HtmlPages.Page(http, "agency.html")).RequireAuthorization(Policies.Public).ExcludeFromDescription();
        endpoints.MapMethods("/verify", Platform.HtmlPages.Methods, (HttpContext http) => Platform.HtmlPages.Page(http, "verify.html")).RequireAuthorization(Policies.Public).ExcludeFromDescription();
        endpoints.MapMethods("/verify/{number}", Platform.HtmlPages.Methods, (string number, HttpContext http) => Platform.HtmlPages.Page(http, "verify.html")).RequireAuthorization(Policies.Public).ExcludeFromDescription();
        return endpoints;
    }
}

/// <summary>Seeds the sample occupation catalogue and registers the recurring jobs once the node starts.</summary>
sealed class CertificationStartup(AgencyStore store, IRecurringJobManager recurring, IConfiguration configuration, ILogger<CertificationStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var seeded = await store.SeedSampleOccupationsAsync(Path.Combine(AppContext.BaseDirectory, "seed-data", "certification", "occupations_sample.tsv"), cancellationToken);
        if (seeded.Occupations + seeded.Groups > 0)
        {
            // Counted apart: the major groups are no occupations (an outside tester read "50 occupations" and found 42).
            logger.LogInformation("Seeded {Count} sample occupations and {Groups} major groups", seeded.Occupations, seeded.Groups);
        }
        var (promotions, consistency) = CertificationRegistration.Schedules(configuration);
        recurring.AddOrUpdate<CertificationJobs>(CertificationRegistration.PromotionsJob, j => j.Promote(CancellationToken.None), promotions);
        recurring.AddOrUpdate<CertificationJobs>(CertificationRegistration.ConsistencyJob, j => j.CheckConsistency(CancellationToken.None), consistency);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
