using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SkillsHub.Server.Observability;

/// <summary>
/// SkillsHub's own instruments on the "SkillsHub" meter, exported as Prometheus text at /metrics
/// (docs/operations.md lists each with its Prometheus name). One set per node: the meter is made by the node's
/// <see cref="IMeterFactory"/>, so a node's /metrics counts only what that node did, and its job gauge reads that node's
/// job storage, however many nodes a process holds (the tests hold dozens).
/// </summary>
public sealed class SkillsHubMetrics
{
    public const string MeterName = "SkillsHub";

    readonly Meter _meter;

    public SkillsHubMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        Marks = _meter.CreateCounter<long>("skillshub.marks", "{batch}", "Mark batches answered, by outcome.");
        MarkDuration = _meter.CreateHistogram("skillshub.mark.duration", "s", "Time to answer a mark batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        HubConnections = _meter.CreateUpDownCounter<long>("skillshub.hub.connections", "{connection}", "Open SignalR connections on this node.");
        Pushes = _meter.CreateCounter<long>("skillshub.hub.pushes", "{message}", "Messages pushed to SignalR groups.");
        CertificatesIssued = _meter.CreateCounter<long>("skillshub.certificates.issued", "{certificate}", "Certificates issued (exam sessions and promotions).");
        Lookups = _meter.CreateCounter<long>("skillshub.lookups", "{request}", "Public certificate lookups, downloads and verifications, by route and status.");
    }

    /// <summary>Mark batches by outcome: accepted, superseded, replayed, refused (a domain refusal), invalid (bad request).</summary>
    public Counter<long> Marks { get; }

    /// <summary>From the request reaching the marks endpoint to its answer (the grain's commit included).</summary>
    public Histogram<double> MarkDuration { get; }

    public UpDownCounter<long> HubConnections { get; }

    /// <summary>Messages handed to SignalR groups (standings, resultsChanged, sheetsChanged, rulesChanged, visibilityChanged); rate() gives pushes per second.</summary>
    public Counter<long> Pushes { get; }

    public Counter<long> CertificatesIssued { get; }

    public Counter<long> Lookups { get; }

    /// <summary>Records one answered mark batch by outcome: accepted, superseded, replayed, refused or invalid.</summary>
    public void MarkAnswered(string outcome, long startTimestamp)
    {
        Marks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        MarkDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>Hangfire's job counts by state, read from the node's job storage at each scrape.</summary>
    public void ObserveJobs(Hangfire.JobStorage storage)
    {
        _meter.CreateObservableGauge<long>("skillshub.jobs", () =>
        {
            Hangfire.Storage.Monitoring.StatisticsDto stats;
            try
            {
                stats = storage.GetMonitoringApi().GetStatistics();
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
