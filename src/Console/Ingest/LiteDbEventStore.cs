using LiteDB;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>
/// The events on the LiteDB file (one node). Its one writer and this lock make check-then-insert atomic, so the
/// highest stored sequence per site can be kept in memory: only this process writes the file. An event is "dispatch
/// pending" while a document of <c>event_dispatch_pending</c> lists it (one per stored batch, in a separate collection,
/// so setting and clearing the mark never rewrites an event; events stored before it existed are in none, so count as
/// dispatched).
/// </summary>
public sealed class LiteDbEventStore : IEventStore
{
    private readonly ConsoleDatabase _db;
    private readonly IngestOptions _options;
    private readonly IOptions<FleetOptions> _fleet;
    private readonly GroupCommit _commit;

    // LiteDB has one writer anyway; one lock makes check-then-insert atomic across connections of the same site.
    private readonly Lock _write = new();

    // Highest sequence stored per site (guarded by _write), read from the database on a site's first batch. Recorders
    // send in order, so nearly every event is above it and is known to be new without an index lookup.
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);

    private readonly DispatchesInFlight _inFlight = new();

    public LiteDbEventStore(ConsoleDatabase db, IOptions<IngestOptions> options, IOptions<FleetOptions> fleet, TimeProvider time)
    {
        _db = db;
        _options = options.Value;
        _fleet = fleet;
        _commit = new GroupCommit(WriteGroup, time);
        Events.EnsureIndex(e => e.OccurredAtTicks);
        Events.EnsureIndex(e => e.SiteTime);
        FillSiteTime();
        // Map both types now, on one thread, rather than on first use by concurrent hub calls.
        _db.Database.Mapper.ToDocument(new StoredSnapshot());
        _db.Database.Mapper.ToDocument(new PendingDispatch());
    }

    private ILiteCollection<StoredEvent> Events => _db.Database.GetCollection<StoredEvent>("events");

    private ILiteCollection<PendingDispatch> Pending => _db.Database.GetCollection<PendingDispatch>("event_dispatch_pending");

    private ILiteCollection<StoredSnapshot> Snapshots => _db.Database.GetCollection<StoredSnapshot>("event_snapshots");

    /// <summary>
    /// Batches arriving together are written in one LiteDB transaction (group commit), flushed to disk once for all
    /// of them before any is acknowledged.
    /// </summary>
    public Task<IngestResult> StoreAsync(string siteId, EventBatchSent batch) => _commit.StoreAsync(siteId, batch);

    private List<IngestResult> WriteGroup(IReadOnlyList<PendingBatch> group, IReadOnlyList<DispatchedBatch> dispatched, DateTimeOffset now)
    {
        var results = new List<IngestResult>(group.Count);
        var database = _db.Database;
        lock (_write)
        {
            database.BeginTrans();
            try
            {
                foreach (var done in dispatched.Where(d => d.Result.Stored.Count > 0))
                {
                    Pending.Delete(EventKeys.Key(done.SiteId, done.Result.Stored[0].Sequence));
                }

                var dispatching = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pending in group)
                {
                    results.Add(Write(pending.SiteId, pending.Batch, now, dispatching));
                }

                database.Commit();
                _inFlight.Committed(dispatching);
            }
            catch
            {
                database.Rollback();
                // What was counted in during the failed transaction is not stored: read it afresh next time.
                _highest.Clear();
                throw;
            }
            finally
            {
                _inFlight.Dispatched(dispatched);
            }
        }

        if (group.Count > 0)
        {
            // Durable before acknowledged: one fsync per group commit, shared by every batch in it.
            _db.FlushLogToDisk();
        }

        return results;
    }

    private IngestResult Write(string siteId, EventBatchSent batch, DateTimeOffset now, HashSet<string> dispatching)
    {
        var stored = new List<EventRecorded>();
        var same = new List<EventRecorded>();
        var rejected = new List<EventRejected>();
        var highest = HighestStored(siteId);
        foreach (var entry in batch.Events)
        {
            if (EventWrites.Check(entry, now, _options, _fleet.Value.MaxSnapshotBytes, out var json) is { } problem)
            {
                rejected.Add(new EventRejected(entry.Sequence, problem));
                continue;
            }

            var key = EventKeys.Key(siteId, entry.Sequence);
            if (entry.Sequence <= highest && Events.FindById(key) is { } existing)
            {
                if (existing.EventId == entry.EventId)
                {
                    same.Add(entry);
                }
                else
                {
                    rejected.Add(EventWrites.Reused(entry.Sequence, existing.EventId));
                }

                continue;
            }

            Events.Insert(StoredEvent.From(siteId, entry, json, now));
            dispatching.Add(key);
            if (entry.SnapshotJpeg is { } jpeg)
            {
                Snapshots.Insert(new StoredSnapshot { Id = key, Jpeg = jpeg });
            }

            stored.Add(entry);
            highest = Math.Max(highest, entry.Sequence);
        }

        _highest[siteId] = highest;
        if (stored.Count > 0)
        {
            // One mark for the batch's new events, named after its first: one insert and one delete per batch.
            Pending.Insert(new PendingDispatch { Id = EventKeys.Key(siteId, stored[0].Sequence), Sequences = [.. stored.Select(e => e.Sequence)] });
        }

        var reclaimed = same.Count == 0 ? [] : Reclaim(siteId, same, dispatching);
        return new IngestResult(EventWrites.Acknowledge(batch, stored.Count, same.Count, rejected), stored, reclaimed);
    }

    /// <summary>
    /// The duplicates still marked pending (stored by an earlier run that stopped before its handlers ran), taken out
    /// of their marks to be dispatched by this call. A site has few marks (batches being dispatched, or left by a crash).
    /// </summary>
    private List<EventRecorded> Reclaim(string siteId, List<EventRecorded> duplicates, HashSet<string> dispatching)
    {
        var marks = Pending.Find(Query.And(Query.GTE("_id", $"{siteId}/"), Query.LT("_id", $"{siteId}0"))).ToList();
        if (marks.Count == 0)
        {
            return [];
        }

        var reclaimed = duplicates
            .Where(e => _inFlight.Claimable(EventKeys.Key(siteId, e.Sequence), dispatching) && marks.Any(m => m.Sequences.Contains(e.Sequence)))
            .ToList();
        var taken = reclaimed.Select(e => e.Sequence).ToHashSet();
        foreach (var mark in marks.Where(m => m.Sequences.Any(taken.Contains)))
        {
            mark.Sequences.RemoveAll(taken.Contains);
            if (mark.Sequences.Count == 0)
            {
                Pending.Delete(mark.Id);
            }
            else
            {
                Pending.Update(mark);
            }
        }

        dispatching.UnionWith(taken.Select(sequence => EventKeys.Key(siteId, sequence)));
        return reclaimed;
    }

    /// <summary>
    /// Deletes the batch's one mark (its reclaimed events left theirs when claimed) in the next group commit, not flushed
    /// to disk on its own: a commit LiteDB wrote survives the process being killed.
    /// </summary>
    public void MarkDispatched(string siteId, IngestResult result) => _commit.Dispatched(siteId, result);

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

    public IReadOnlyList<StoredEvent> ForSite(string siteId) =>
        // Keys start with the site id: a range on the primary key, no extra index to maintain on every insert.
        Events.Find(Query.And(Query.GTE("_id", $"{siteId}/"), Query.LT("_id", $"{siteId}0"))).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// One range of the site-and-time index per site, so a query costs what it returns, not every site's events in
    /// the period.
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
            .Where(Query.Between(nameof(StoredEvent.SiteTime), EventKeys.SiteTime(siteId, from.UtcTicks), EventKeys.SiteTime(siteId, to.UtcTicks - 1)))
            .OrderBy(e => e.SiteTime);

    /// <summary>Events stored before the site-and-time index existed get their key, a few thousand at a time.</summary>
    private void FillSiteTime()
    {
        while (Events.Query().Where(Query.EQ(nameof(StoredEvent.SiteTime), BsonValue.Null)).Limit(5000).ToList() is { Count: > 0 } missing)
        {
            foreach (var stored in missing)
            {
                stored.SiteTime = EventKeys.SiteTime(stored.SiteId, stored.OccurredAtTicks);
            }

            Events.Update(missing);
        }
    }

    public int Count() => Events.Count();

    public IReadOnlyList<StoredEvent> OfType(string type) =>
        [.. Events.Find(e => e.Type == type).OrderBy(e => e.SiteId, StringComparer.Ordinal).ThenBy(e => e.Sequence)];

    public byte[]? Snapshot(string siteId, long sequence) => Snapshots.FindById(EventKeys.Key(siteId, sequence))?.Jpeg;
}

/// <summary>
/// The new events of one stored batch not yet dispatched (<see cref="LiteDbEventStore.MarkDispatched"/>), keyed by the
/// first one's event key.
/// </summary>
public sealed class PendingDispatch
{
    public string Id { get; set; } = "";

    public List<long> Sequences { get; set; } = [];
}

/// <summary>An event's proof picture, kept apart so event queries stay small.</summary>
public sealed class StoredSnapshot
{
    public string Id { get; set; } = "";

    public byte[] Jpeg { get; set; } = [];
}
