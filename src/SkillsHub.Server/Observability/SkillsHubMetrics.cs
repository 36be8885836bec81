using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SkillsHub.Server.Observability;

/// <summary>
/// SkillsHub's own instruments on the "SkillsHub" meter, exported as Prometheus text at /metrics
/// (docs/operations.md lists each with its Prometheus name). Static, like the meters of the libraries
/// beside it: every node in a process shares them (one node per process outside the tests).
/// </summary>
public static class SkillsHubMetrics
{
    public const string MeterName = "SkillsHub";

    static readonly Meter Meter = new(MeterName);

    /// <summary>Mark batches by outcome: accepted, superseded, replayed, refused (a domain refusal), invalid (bad request).</summary>
    public static readonly Counter<long> Marks = Meter.CreateCounter<long>("skillshub.marks", "{batch}", "Mark batches answered, by outcome.");

    /// <summary>From the request reaching the marks endpoint to its answer (the grain's commit included).</summary>
    public static readonly Histogram<double> MarkDuration = Meter.CreateHistogram("skillshub.mark.duration", "s", "Time to answer a mark batch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    public static readonly UpDownCounter<long> HubConnections = Meter.CreateUpDownCounter<long>("skillshub.hub.connections", "{connection}", "Open SignalR connections on this node.");

    /// <summary>Messages handed to SignalR groups (standings, resultsChanged, sheetsChanged, rulesChanged, visibilityChanged); rate() gives pushes per second.</summary>
    public static readonly Counter<long> Pushes = Meter.CreateCounter<long>("skillshub.hub.pushes", "{message}", "Messages pushed to SignalR groups.");

    public static readonly Counter<long> CertificatesIssued = Meter.CreateCounter<long>("skillshub.certificates.issued", "{certificate}", "Certificates issued (exam sessions and promotions).");

    public static readonly Counter<long> Lookups = Meter.CreateCounter<long>("skillshub.lookups", "{request}", "Public certificate lookups, downloads and verifications, by route and status.");

    /// <summary>Records one answered mark batch by outcome: accepted, superseded, replayed, refused or invalid.</summary>
    public static void MarkAnswered(string outcome, long startTimestamp)
    {
        Marks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        MarkDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    static Hangfire.JobStorage? _jobStorage;

    /// <summary>
    /// Hangfire's job counts by state, read from the node's job storage at each scrape. The meter is the process's,
    /// so the gauge is created once per process and reads the storage of the node that started last (outside the
    /// tests, a process runs one node).
    /// </summary>
    public static void ObserveJobs(Hangfire.JobStorage storage)
    {
        if (Interlocked.Exchange(ref _jobStorage, storage) is not null)
        {
            return;
        }
        Meter.CreateObservableGauge<long>("skillshub.jobs", () =>
        {
            Hangfire.Storage.Monitoring.StatisticsDto stats;
            try
            {
                if (Volatile.Read(ref _jobStorage)?.GetMonitoringApi().GetStatistics() is not { } s)
                {
                    return Array.Empty<Measurement<long>>();
                }
                stats = s;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return Array.Empty<Measurement<long>>(); // the database is down: no figures rather than a failed scrape
            }
            return new Measurement<long>[]
            {
                new(stats.Enqueued, new KeyValuePair<string, object?>("state", "enqueued")),
                new(stats.Scheduled, new KeyValuePair<string, object?>("state", "scheduled")),
                new(stats.Processing, new KeyValuePair<string, object?>("state", "processing")),
                new(stats.Succeeded, new KeyValuePair<string, object?>("state", "succeeded")),
                new(stats.Failed, new KeyValuePair<string, object?>("state", "failed")),
            };
        }, "{job}", "Hangfire jobs by state.");
    }
}
