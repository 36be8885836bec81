using Hangfire;
using SkillsHub.Server.Security;

namespace SkillsHub.Server.Certification;

public static class CertificationRegistration
{
    public const string PromotionsJob = "certification-promotions";
    public const string ConsistencyJob = "certification-consistency";

    public static WebApplicationBuilder AddCertification(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ImportStore>();
        builder.Services.AddTransient<ImportProcessor>();
        builder.Services.AddTransient<CertificationJobs>();
        builder.Services.AddSingleton<CertificationStore>();
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
        recurring.AddOrUpdate<CertificationJobs>(CertificationRegistration.PromotionsJob, j => j.Promote(CancellationToken.None),
            configuration["Certification:PromotionsCron"] ?? Cron.Hourly());
        recurring.AddOrUpdate<CertificationJobs>(CertificationRegistration.ConsistencyJob, j => j.CheckConsistency(CancellationToken.None),
            configuration["Certification:ConsistencyCron"] ?? NightlyInChina);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// 02:00 in China (UTC+8, no daylight saving time) as Hangfire's UTC cron: 18:00 UTC the day before. Written in UTC
    /// rather than with a time zone id, which a machine without time zone data could not resolve (found by an outside
    /// tester: the "nightly" check ran at 10:00 in China).
    /// </summary>
    const string NightlyInChina = "0 18 * * *";
}
