using System.Collections.Concurrent;
using System.Globalization;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>
/// Every event Recorders delivered, kept once per (site, sequence). A replayed batch stores nothing twice; a
/// sequence reused with another event id (a Recorder whose database was replaced) is rejected, not overwritten.
/// </summary>
public sealed class EventStore
{
    private readonly ConsoleDatabase _db;
    private readonly IngestOptions _options;
    private readonly IOptions<FleetOptions> _fleet;
    private readonly TimeProvider _time;
    private const int MaxBatchesPerCommit = 512;

    // LiteDB has one writer anyway; one lock makes check-then-insert atomic across connections of the same site.
    private readonly Lock _write = new();
    private readonly ConcurrentQueue<PendingBatch> _pending = new();

    // Highest sequence stored per site (guarded by _write), read from the database on a site's first batch. Recorders
    // send in order, so nearly every event is above it and is known to be new without an index lookup.
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private int _writing;

    public EventStore(ConsoleDatabase db, IOptions<IngestOptions> options, IOptions<FleetOptions> fleet, TimeProvider time)
    {
        _db = db;
        _options = options.Value;
        _fleet = fleet;
        _time = time;
        Events.EnsureIndex(e => e.OccurredAtTicks);
        Events.EnsureIndex(e => e.SiteTime);
        FillSiteTime();
        // Map both types now, on one thread, rather than on first use by concurrent hub calls.
        _db.Database.Mapper.ToDocument(new StoredSnapshot());
    }

    private ILiteCollection<StoredEvent> Events => _db.Database.GetCollection<StoredEvent>("events");

    private ILiteCollection<StoredSnapshot> Snapshots => _db.Database.GetCollection<StoredSnapshot>("event_snapshots");

    /// <summary>Key of an event: site and zero-padded sequence, so keys sort in delivery order.</summary>
    public static string Key(string siteId, long sequence) => $"{siteId}/{sequence.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Validates and stores a batch (already checked by <see cref="EventRules.CheckBatch"/>), and says what became of
    /// each event. Batches arriving together are written in one LiteDB transaction (group commit), flushed to disk
    /// once for all of them before any is acknowledged.
    /// </summary>
    public Task<IngestResult> StoreAsync(string siteId, EventBatchSent batch)
    {
        var pending = new PendingBatch(siteId, batch, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending.Enqueue(pending);
        // Whoever finds no writer at work becomes the writer and drains what has queued up, including its own.
        while (!_pending.IsEmpty && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                WritePending();
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }

        return pending.Done.Task;
    }

    private void WritePending()
    {
        var group = new List<PendingBatch>();
        while (group.Count < MaxBatchesPerCommit && _pending.TryDequeue(out var next))
        {
            group.Add(next);
        }

        if (group.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var results = new List<IngestResult>(group.Count);
        var database = _db.Database;
        try
        {
            lock (_write)
            {
                database.BeginTrans();
                try
                {
                    foreach (var pending in group)
                    {
                        results.Add(Write(pending.SiteId, pending.Batch, now));
                    }

                    database.Commit();
                }
                catch
                {
                    database.Rollback();
                    // What was counted in during the failed transaction is not stored: read it afresh next time.
                    _highest.Clear();
                    throw;
                }
            }

            // Durable before acknowledged: one fsync per group commit, shared by every batch in it.
            _db.FlushLogToDisk();
        }
#pragma warning disable CA1031 // Handed to every waiting caller: nothing is acknowledged, each Recorder sends again (a commit that did land is then a duplicate).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var pending in group)
            {
                pending.Done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(results[i]);
        }
    }

    private IngestResult Write(string siteId, EventBatchSent batch, DateTimeOffset now)
    {
        var stored = new List<EventRecorded>();
        var rejected = new List<EventRejected>();
        var duplicates = 0;
        var highest = HighestStored(siteId);
        foreach (var entry in batch.Events)
        {
            // The one serialisation of the event: its wire JSON is what is stored (and what the size limit counts).
            var json = entry.Event is null or UnreadableEvent ? "" : JsonSerializer.Serialize(entry.Event, WireJson.Options);
            if (EventRules.CheckEvent(entry, json, now, _options, _fleet.Value.MaxSnapshotBytes) is { } problem)
            {
                rejected.Add(new EventRejected(entry.Sequence, problem));
                continue;
            }

            var key = Key(siteId, entry.Sequence);
            if (entry.Sequence <= highest && Events.FindById(key) is { } existing)
            {
                if (existing.EventId == entry.EventId)
                {
                    duplicates++;
                }
                else
                {
                    rejected.Add(new EventRejected(entry.Sequence, $"sequence {entry.Sequence} already holds another event ({existing.EventId})"));
                }

                continue;
            }

            Events.Insert(StoredEvent.From(key, siteId, entry, json, now));
            if (entry.SnapshotJpeg is { } jpeg)
            {
                Snapshots.Insert(new StoredSnapshot { Id = key, Jpeg = jpeg });
            }

            stored.Add(entry);
            highest = Math.Max(highest, entry.Sequence);
        }

        _highest[siteId] = highest;

        var ack = new EventBatchAcknowledged(batch.Events[0].Sequence, batch.Events[^1].Sequence, stored.Count, duplicates, rejected);
        return new IngestResult(ack, stored);
    }

    /// <summary>The highest sequence stored for a site (0 before its first event): how far its outbox has been delivered.</summary>
    public long HighestSequence(string siteId)
    {
        lock (_write)
        {
            return HighestStored(siteId);
        }
    }

    private long HighestStored(string siteId)
    {
        if (!_highest.TryGetValue(siteId, out var highest))
        {
            // A descending range scan on the primary key: one index seek, however many events the site has.
            highest = Events.Query()
                .Where("_id BETWEEN @0 AND @1", new BsonValue($"{siteId}/"), new BsonValue($"{siteId}0"))
                .OrderByDescending("_id")
                .Limit(1)
                .FirstOrDefault()?.Sequence ?? 0;
            _highest[siteId] = highest;
        }

        return highest;
    }

    private sealed record PendingBatch(string SiteId, EventBatchSent Batch, TaskCompletionSource<IngestResult> Done);

    /// <summary>A site's events in sequence order.</summary>
    public IReadOnlyList<StoredEvent> ForSite(string siteId) =>
        // Keys start with the site id: a range on the primary key, no extra index to maintain on every insert.
        Events.Find(Query.And(Query.GTE("_id", $"{siteId}/"), Query.LT("_id", $"{siteId}0"))).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    /// <summary>Key of an event in the site-and-time index: site, then zero-padded ticks of when it occurred.</summary>
    public static string SiteTimeKey(string siteId, long occurredAtTicks) => $"{siteId}/{occurredAtTicks.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Events of the given sites that occurred in [from, to), oldest first, at most <paramref name="limit"/>: one range
    /// of the site-and-time index per site, so a query costs what it returns, not every site's events in the period.
    /// </summary>
    public IReadOnlyList<StoredEvent> InRange(IReadOnlySet<string> siteIds, DateTimeOffset from, DateTimeOffset to, int limit) =>
        [.. siteIds.SelectMany(site => SiteRange(site, from, to).Limit(limit).ToEnumerable())
            .OrderBy(e => e.OccurredAtTicks)
            .ThenBy(e => e.SiteId, StringComparer.Ordinal)
            .ThenBy(e => e.Sequence)
            .Take(limit)];

    /// <summary>How LiteDB runs <see cref="InRange"/> for one site (its query plan), for checking that the index is used.</summary>
    public BsonDocument RangePlan(string siteId, DateTimeOffset from, DateTimeOffset to) => SiteRange(siteId, from, to).GetPlan();

    private ILiteQueryableResult<StoredEvent> SiteRange(string siteId, DateTimeOffset from, DateTimeOffset to) =>
        Events.Query()
            .Where(Query.Between(nameof(StoredEvent.SiteTime), SiteTimeKey(siteId, from.UtcTicks), SiteTimeKey(siteId, to.UtcTicks - 1)))
            .OrderBy(e => e.SiteTime);

    /// <summary>Events stored before the site-and-time index existed get their key, a few thousand at a time.</summary>
    private void FillSiteTime()
    {
        while (Events.Query().Where(Query.EQ(nameof(StoredEvent.SiteTime), BsonValue.Null)).Limit(5000).ToList() is { Count: > 0 } missing)
        {
            foreach (var stored in missing)
            {
                stored.SiteTime = SiteTimeKey(stored.SiteId, stored.OccurredAtTicks);
            }

            Events.Update(missing);
        }
    }

    public int Count() => Events.Count();

    /// <summary>Every stored event of one type, oldest site sequence first within each site (a full scan: for rebuilding, not for requests).</summary>
    public IReadOnlyList<StoredEvent> OfType(string type) =>
        [.. Events.Find(e => e.Type == type).OrderBy(e => e.SiteId, StringComparer.Ordinal).ThenBy(e => e.Sequence)];

    public byte[]? Snapshot(string siteId, long sequence) => Snapshots.FindById(Key(siteId, sequence))?.Jpeg;
}

/// <summary>The acknowledgement to return, and the events that were new, still typed as they arrived.</summary>
public sealed record IngestResult(EventBatchAcknowledged Acknowledgement, IReadOnlyList<EventRecorded> Stored);

/// <summary>An event as the Console keeps it; the event itself stays in its wire JSON so new types need no migration.</summary>
public sealed class StoredEvent
{
    public string Id { get; set; } = "";

    public string SiteId { get; set; } = "";

    public long Sequence { get; set; }

    public Guid EventId { get; set; }

    public string Type { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string? WindowId { get; set; }

    public long OccurredAtTicks { get; set; }

    /// <summary>Site and time (<see cref="EventStore.SiteTimeKey"/>), indexed: a site's events in a period are one index range.</summary>
    public string? SiteTime { get; set; }

    public long RecordedAtTicks { get; set; }

    public long ReceivedAtTicks { get; set; }

    public bool HasSnapshot { get; set; }

    public string EventJson { get; set; } = "";

    public DateTimeOffset OccurredAt => new(OccurredAtTicks, TimeSpan.Zero);

    /// <summary>The event read back from storage (for history: attendance, episodes, rebuilding the ledger).</summary>
    public SiteEvent ToEvent() => JsonSerializer.Deserialize<SiteEvent>(EventJson, WireJson.Options)!;

    /// <summary>The document of a new event; type and window come from the typed event, which names its type as its JSON does.</summary>
    internal static StoredEvent From(string key, string siteId, EventRecorded entry, string json, DateTimeOffset now) =>
        new()
        {
            Id = key,
            SiteId = siteId,
            Sequence = entry.Sequence,
            EventId = entry.EventId,
            Type = entry.Event.GetType().Name,
            CameraId = entry.Event.CameraId,
            WindowId = entry.Event is WindowEvent window ? window.WindowId : null,
            OccurredAtTicks = entry.Event.OccurredAt.UtcTicks,
            SiteTime = EventStore.SiteTimeKey(siteId, entry.Event.OccurredAt.UtcTicks),
            RecordedAtTicks = entry.RecordedAt.UtcTicks,
            ReceivedAtTicks = now.UtcTicks,
            HasSnapshot = entry.SnapshotJpeg is not null,
            EventJson = json,
        };
}

/// <summary>An event's proof picture, kept apart so event queries stay small.</summary>
public sealed class StoredSnapshot
{
    public string Id { get; set; } = "";

    public byte[] Jpeg { get; set; } = [];
}
