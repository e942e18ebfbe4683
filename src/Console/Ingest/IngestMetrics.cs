using System.Diagnostics.Metrics;

namespace ServiceHall.Console.Ingest;

/// <summary>Ingest counters, exported through <see cref="System.Diagnostics.Metrics"/> and readable at <c>/api/metrics</c> and, through the Metrics folder, at <c>/metrics</c>.</summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "ServiceHall.Console.Ingest";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _batches;
    private readonly Histogram<double> _storeSeconds;
    private long _storedTotal;
    private long _duplicatesTotal;
    private long _rejectedTotal;
    private long _batchesTotal;
    private long _refusedBatchesTotal;

    public IngestMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _received = _meter.CreateCounter<long>("servicehall.events.received", description: "Events in batches that passed the batch check, whatever became of each");
        _stored = _meter.CreateCounter<long>("servicehall.events.stored");
        _duplicates = _meter.CreateCounter<long>("servicehall.events.duplicates");
        _rejected = _meter.CreateCounter<long>("servicehall.events.rejected");
        _batches = _meter.CreateCounter<long>("servicehall.batches");
        _storeSeconds = _meter.CreateHistogram<double>("servicehall.events.store.duration", unit: "s", description: "Time from a batch handed to the store until it was durable (group commit and fsync included)");
    }

    public sealed record Figures(long EventsStored, long EventsDuplicate, long EventsRejected, long Batches, long BatchesRefused);

    public void Batch(int stored, int duplicates, int rejected, TimeSpan storeTook)
    {
        _received.Add(stored + duplicates + rejected);
        _storeSeconds.Record(storeTook.TotalSeconds);
        _stored.Add(stored);
        _duplicates.Add(duplicates);
        _rejected.Add(rejected);
        _batches.Add(1);
        Interlocked.Add(ref _storedTotal, stored);
        Interlocked.Add(ref _duplicatesTotal, duplicates);
        Interlocked.Add(ref _rejectedTotal, rejected);
        Interlocked.Increment(ref _batchesTotal);
    }

    public void Refused() => Interlocked.Increment(ref _refusedBatchesTotal);

    public Figures Snapshot() => new(
        Interlocked.Read(ref _storedTotal),
        Interlocked.Read(ref _duplicatesTotal),
        Interlocked.Read(ref _rejectedTotal),
        Interlocked.Read(ref _batchesTotal),
        Interlocked.Read(ref _refusedBatchesTotal));

    public void Dispose() => _meter.Dispose();
}
