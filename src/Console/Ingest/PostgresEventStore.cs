using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>
/// The events on PostgreSQL, shared by every Console node. The primary key (site, sequence) and
/// <c>INSERT ... ON CONFLICT DO NOTHING</c> decide what is new, not a count kept in this process: two nodes given the
/// same batch store it once, and the one that did not store an event reads who holds its sequence (a duplicate, or a
/// reused sequence to reject). A database that cannot be reached faults the store call: nothing is acknowledged.
/// An event is "dispatch pending" while a row of <c>event_dispatch_pending</c> names it, inserted in the same statement
/// as the event and deleted once its handlers ran; a node that receives it again while the row is there deletes the row
/// (the row lock lets exactly one node's delete return it) and dispatches it.
/// </summary>
public sealed class PostgresEventStore : IEventStore
{
    private const string Columns =
        "site_id, sequence, event_id, type, camera_id, window_id, occurred_at_ticks, recorded_at_ticks, received_at_ticks, has_snapshot, event_json";

    // A row of a batch per array element; ordered by sequence so every transaction takes its rows' locks in
    // (site, sequence) order and two nodes writing overlapping batches wait for each other instead of deadlocking.
    // The new events are marked "dispatch pending" in the same statement, so they are committed marked.
    private const string InsertNew = $"""
        WITH inserted AS (
            INSERT INTO events ({Columns})
            SELECT $1, u.sequence, u.event_id, u.type, u.camera_id, u.window_id, u.occurred, u.recorded, $2, u.has_snapshot, u.event_json
            FROM unnest($3::bigint[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::boolean[], $11::text[])
                AS u(sequence, event_id, type, camera_id, window_id, occurred, recorded, has_snapshot, event_json)
            ORDER BY u.sequence
            ON CONFLICT (site_id, sequence) DO NOTHING
            RETURNING sequence),
        marked AS (INSERT INTO event_dispatch_pending (site_id, sequence) SELECT $1, sequence FROM inserted)
        SELECT sequence FROM inserted
        """;

    // Whoever deletes a pending row dispatches its event: a second node's delete waits on the row lock, then finds it gone.
    private const string Claim = "DELETE FROM event_dispatch_pending WHERE site_id = $1 AND sequence = ANY($2) RETURNING sequence";

    private readonly PostgresDatabase _db;
    private readonly IngestOptions _options;
    private readonly IOptions<FleetOptions> _fleet;
    private readonly GroupCommit _commit;
    private readonly DispatchesInFlight _inFlight = new();

    public PostgresEventStore(PostgresDatabase db, IOptions<IngestOptions> options, IOptions<FleetOptions> fleet, TimeProvider time)
    {
        _db = db;
        _options = options.Value;
        _fleet = fleet;
        _commit = new GroupCommit(WriteGroup, time);
    }

    /// <summary>Batches arriving together are written in one transaction (group commit), committed before any is acknowledged.</summary>
    public Task<IngestResult> StoreAsync(string siteId, EventBatchSent batch) => _commit.StoreAsync(siteId, batch);

    private IngestResult[] WriteGroup(IReadOnlyList<PendingBatch> group, IReadOnlyList<DispatchedBatch> dispatched, DateTimeOffset now)
    {
        try
        {
            var results = new IngestResult[group.Count];
            using var connection = _db.Open();
            using var transaction = connection.BeginTransaction();
            if (group.Count == 0)
            {
                // Only marks to clear: losing them to a crash of PostgreSQL costs a dispatch, not an event, so no fsync.
                using var relaxed = connection.CommandIn("SET LOCAL synchronous_commit TO OFF", transaction);
                relaxed.ExecuteNonQuery();
            }

            Unmark(connection, transaction, dispatched);
            // Batches in (site, first sequence) order: with each batch inserted in sequence order, locks are taken in one order.
            var order = Enumerable.Range(0, group.Count)
                .OrderBy(i => group[i].SiteId, StringComparer.Ordinal)
                .ThenBy(i => group[i].Batch.Events[0].Sequence);
            var dispatching = new HashSet<string>(StringComparer.Ordinal);
            foreach (var i in order)
            {
                results[i] = Write(connection, transaction, group[i].SiteId, group[i].Batch, now, dispatching);
            }

            transaction.Commit();
            _inFlight.Committed(dispatching);
            return results;
        }
        finally
        {
            _inFlight.Dispatched(dispatched);
        }
    }

    /// <summary>Deletes the marks of dispatched batches' new events (their reclaimed events left theirs when claimed).</summary>
    private static void Unmark(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<DispatchedBatch> dispatched)
    {
        var rows = dispatched.SelectMany(d => d.Result.Stored.Select(e => (d.SiteId, e.Sequence))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        using var delete = connection.CommandIn(
            "DELETE FROM event_dispatch_pending p USING unnest($1::text[], $2::bigint[]) AS d(site_id, sequence) WHERE p.site_id = d.site_id AND p.sequence = d.sequence",
            transaction,
            rows.Select(r => r.SiteId).ToArray(),
            rows.Select(r => r.Sequence).ToArray());
        delete.ExecuteNonQuery();
    }

    private IngestResult Write(NpgsqlConnection connection, NpgsqlTransaction transaction, string siteId, EventBatchSent batch, DateTimeOffset now, HashSet<string> dispatching)
    {
        var rejected = new List<EventRejected>();
        var valid = new List<(EventRecorded Entry, StoredEvent Row)>();
        foreach (var entry in batch.Events)
        {
            if (EventWrites.Check(entry, now, _options, _fleet.Value.MaxSnapshotBytes, out var json) is { } problem)
            {
                rejected.Add(new EventRejected(entry.Sequence, problem));
            }
            else
            {
                valid.Add((entry, StoredEvent.From(siteId, entry, json, now)));
            }
        }

        var inserted = Insert(connection, transaction, siteId, [.. valid.Select(v => v.Row)], now);
        var stored = valid.Where(v => inserted.Contains(v.Entry.Sequence)).Select(v => v.Entry).ToList();
        dispatching.UnionWith(inserted.Select(sequence => EventKeys.Key(siteId, sequence)));
        var duplicates = 0;
        var same = new List<EventRecorded>();
        var notNew = valid.Where(v => !inserted.Contains(v.Entry.Sequence)).ToList();
        if (notNew.Count > 0)
        {
            // Already stored (by this node or another, now committed): the same event is a duplicate, another one keeps its sequence.
            var holders = Holders(connection, transaction, siteId, [.. notNew.Select(v => v.Entry.Sequence)]);
            foreach (var (entry, _) in notNew)
            {
                var holder = holders[entry.Sequence];
                if (holder == entry.EventId)
                {
                    duplicates++;
                    same.Add(entry);
                }
                else
                {
                    rejected.Add(EventWrites.Reused(entry.Sequence, holder));
                }
            }
        }

        foreach (var entry in stored.Where(e => e.SnapshotJpeg is not null))
        {
            using var snapshot = connection.CommandIn(
                "INSERT INTO event_snapshots (site_id, sequence, jpeg) VALUES ($1, $2, $3)", transaction, siteId, entry.Sequence, entry.SnapshotJpeg);
            snapshot.ExecuteNonQuery();
        }

        var reclaimed = Reclaim(connection, transaction, siteId, [.. same.Where(e => _inFlight.Claimable(EventKeys.Key(siteId, e.Sequence), dispatching))]);
        dispatching.UnionWith(reclaimed.Select(e => EventKeys.Key(siteId, e.Sequence)));
        return new IngestResult(EventWrites.Acknowledge(batch, stored.Count, duplicates, rejected), stored, reclaimed);
    }

    /// <summary>The duplicates still marked pending (stored, never dispatched), claimed for this call's dispatch.</summary>
    private static List<EventRecorded> Reclaim(NpgsqlConnection connection, NpgsqlTransaction transaction, string siteId, List<EventRecorded> duplicates)
    {
        if (duplicates.Count == 0)
        {
            return [];
        }

        using var claim = connection.CommandIn(Claim, transaction, siteId, duplicates.Select(e => e.Sequence).ToArray());
        using var reader = claim.ExecuteReader();
        var claimed = new HashSet<long>();
        while (reader.Read())
        {
            claimed.Add(reader.GetInt64(0));
        }

        return [.. duplicates.Where(e => claimed.Contains(e.Sequence))];
    }

    /// <summary>
    /// Clears the marks in the next group commit's transaction; when no batch is being written, in one of their own
    /// committed without waiting for the WAL flush. A node killed after it loses nothing; a crash of PostgreSQL itself
    /// may lose the last few, which costs one more dispatch of a batch the Recorder resends.
    /// </summary>
    public void MarkDispatched(string siteId, IngestResult result) => _commit.Dispatched(siteId, result);

    private static HashSet<long> Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, string siteId, StoredEvent[] rows, DateTimeOffset now)
    {
        var inserted = new HashSet<long>();
        if (rows.Length == 0)
        {
            return inserted;
        }

        using var insert = connection.CommandIn(
            InsertNew,
            transaction,
            siteId,
            now.UtcTicks,
            rows.Select(r => r.Sequence).ToArray(),
            rows.Select(r => r.EventId).ToArray(),
            rows.Select(r => r.Type).ToArray(),
            rows.Select(r => r.CameraId).ToArray(),
            rows.Select(r => r.WindowId).ToArray(),
            rows.Select(r => r.OccurredAtTicks).ToArray(),
            rows.Select(r => r.RecordedAtTicks).ToArray(),
            rows.Select(r => r.HasSnapshot).ToArray(),
            rows.Select(r => r.EventJson).ToArray());
        using var reader = insert.ExecuteReader();
        while (reader.Read())
        {
            inserted.Add(reader.GetInt64(0));
        }

        return inserted;
    }

    private static Dictionary<long, Guid> Holders(NpgsqlConnection connection, NpgsqlTransaction transaction, string siteId, long[] sequences)
    {
        using var select = connection.CommandIn("SELECT sequence, event_id FROM events WHERE site_id = $1 AND sequence = ANY($2)", transaction, siteId, sequences);
        using var reader = select.ExecuteReader();
        var holders = new Dictionary<long, Guid>();
        while (reader.Read())
        {
            holders[reader.GetInt64(0)] = reader.GetGuid(1);
        }

        return holders;
    }

    public long HighestSequence(string siteId) =>
        _db.Scalar<long>("SELECT coalesce(max(sequence), 0) FROM events WHERE site_id = $1", siteId);

    public IReadOnlyList<StoredEvent> ForSite(string siteId) =>
        _db.Query($"SELECT {Columns} FROM events WHERE site_id = $1 ORDER BY sequence", Read, siteId);

    public IReadOnlyList<StoredEvent> InRange(IReadOnlySet<string> siteIds, DateTimeOffset from, DateTimeOffset to, int limit) =>
        _db.Query(
            $"""
            SELECT {Columns} FROM events
            WHERE site_id = ANY($1) AND occurred_at_ticks >= $2 AND occurred_at_ticks < $3
            ORDER BY occurred_at_ticks, site_id COLLATE "C", sequence
            LIMIT $4
            """,
            Read,
            siteIds.ToArray(),
            from.UtcTicks,
            to.UtcTicks,
            limit);

    public int Count() => (int)_db.Scalar<long>("SELECT count(*) FROM events");

    public IReadOnlyList<StoredEvent> OfType(string type) =>
        _db.Query($"SELECT {Columns} FROM events WHERE type = $1 ORDER BY site_id COLLATE \"C\", sequence", Read, type);

    public byte[]? Snapshot(string siteId, long sequence) =>
        _db.Scalar<byte[]>("SELECT jpeg FROM event_snapshots WHERE site_id = $1 AND sequence = $2", siteId, sequence);

    private static StoredEvent Read(NpgsqlDataReader row)
    {
        var siteId = row.GetString(0);
        var sequence = row.GetInt64(1);
        var occurred = row.GetInt64(6);
        return new StoredEvent
        {
            Id = EventKeys.Key(siteId, sequence),
            SiteId = siteId,
            Sequence = sequence,
            EventId = row.GetGuid(2),
            Type = row.GetString(3),
            CameraId = row.GetString(4),
            WindowId = row.IsDBNull(5) ? null : row.GetString(5),
            OccurredAtTicks = occurred,
            SiteTime = EventKeys.SiteTime(siteId, occurred),
            RecordedAtTicks = row.GetInt64(7),
            ReceivedAtTicks = row.GetInt64(8),
            HasSnapshot = row.GetBoolean(9),
            EventJson = row.GetString(10),
        };
    }
}
