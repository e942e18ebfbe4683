using System.Text.Json;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Uplink;

/// <summary>
/// The persist-first outbox in the Recorder's LiteDB file. An event gets its id and the next per-site sequence
/// when it is stored; it stays until the Console acknowledges it. A full outbox makes publishers wait
/// (backpressure) and sheds the oldest snapshots, never events. An event that can never be delivered (the Console
/// rejected it for good, or this version cannot read it) is parked: moved aside with its reason, kept, never resent,
/// so it cannot block the events after it.
/// </summary>
public sealed partial class Outbox : IEventSink, IDisposable
{
    private const string SequenceKey = "sequence";

    private readonly RecorderDatabase _db;
    private readonly UplinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Outbox> _logger;
    private readonly Lock _gate = new();
    private readonly Wakeup _added = new();
    private readonly Wakeup _room = new();
    private long _lastSequence;
    private int _count;
    private long _snapshotBytes;

    public Outbox(RecorderDatabase db, IOptions<UplinkOptions> options, TimeProvider time, ILogger<Outbox> logger)
    {
        _db = db;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Entries.EnsureIndex(e => e.SnapshotBytes);
        var last = Entries.Query().OrderByDescending(e => e.Sequence).Limit(1).FirstOrDefault()?.Sequence ?? 0;
        var stored = Counters.FindById(SequenceKey);
        if (stored is null)
        {
            // A new (or lost and rebuilt) database must not reuse sequences the Console already holds for this site:
            // start from the clock in microseconds, which is above anything an earlier database can have issued.
            stored = new OutboxCounter { Id = SequenceKey, Value = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000 };
            Counters.Insert(stored);
        }

        _lastSequence = Math.Max(last, stored.Value);
        _count = Entries.Count();
        _snapshotBytes = Entries.Query().Where(e => e.SnapshotBytes > 0).Select(e => e.SnapshotBytes).ToEnumerable().Sum(b => (long)b);
    }

    /// <summary>Events stored and not yet acknowledged.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Snapshot bytes stored and not yet acknowledged.</summary>
    public long SnapshotBytes
    {
        get
        {
            lock (_gate)
            {
                return _snapshotBytes;
            }
        }
    }

    private ILiteCollection<OutboxEntry> Entries => _db.Database.GetCollection<OutboxEntry>("outbox");

    private ILiteCollection<ParkedEvent> ParkedEvents => _db.Database.GetCollection<ParkedEvent>("outbox_parked");

    /// <summary>Events parked since the database was made, oldest first: kept for an engineer to read, never resent.</summary>
    public IReadOnlyList<ParkedEvent> Parked()
    {
        lock (_gate)
        {
            return ParkedEvents.Query().OrderBy(p => p.Sequence).ToList();
        }
    }

    private ILiteCollection<OutboxCounter> Counters => _db.Database.GetCollection<OutboxCounter>("outbox_counters");

    public async ValueTask PublishAsync(SiteEvent siteEvent, byte[]? snapshotJpeg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siteEvent);
        var json = JsonSerializer.Serialize(siteEvent, WireJson.Options);
        while (!TryAppend(json, snapshotJpeg))
        {
            LogFull(_logger, _options.OutboxMaxEvents);
            await _room.WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken);
        }

        _added.Signal();
    }

    /// <summary>The oldest unacknowledged entries, in sequence order, within the batch limits (at least one if any).</summary>
    public IReadOnlyList<EventRecorded> Peek(int maxEvents, int maxBytes)
    {
        List<OutboxEntry> entries;
        lock (_gate)
        {
            entries = Entries.Query().OrderBy(e => e.Sequence).Limit(maxEvents).ToList();
        }

        var batch = new List<EventRecorded>(entries.Count);
        var bytes = 0L;
        foreach (var entry in entries)
        {
            bytes += entry.EventJson.Length + 200 + (entry.SnapshotBytes * 4L / 3);
            if (batch.Count > 0 && bytes > maxBytes)
            {
                break;
            }

            SiteEvent? siteEvent;
            try
            {
                siteEvent = JsonSerializer.Deserialize<SiteEvent>(entry.EventJson, WireJson.Options);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                // Written by a Recorder version that knew a type this one does not: it can never be sent, so it must not block the rest.
                siteEvent = null;
                Park(entry.Sequence, $"this Recorder cannot read it: {ex.Message}");
            }

            if (siteEvent is null)
            {
                continue;
            }

            batch.Add(new EventRecorded(entry.EventId, entry.Sequence, new DateTimeOffset(entry.RecordedAtTicks, TimeSpan.Zero), siteEvent, entry.Snapshot));
        }

        return batch;
    }

    /// <summary>Marks acknowledged entries done by removing them.</summary>
    public void Complete(long firstSequence, long lastSequence)
    {
        lock (_gate)
        {
            var done = Entries.Query().Where(e => e.Sequence >= firstSequence && e.Sequence <= lastSequence).Select(e => e.SnapshotBytes).ToList();
            Entries.DeleteMany(e => e.Sequence >= firstSequence && e.Sequence <= lastSequence);
            _count -= done.Count;
            _snapshotBytes -= done.Sum(b => (long)b);
        }

        _room.Signal();
    }

    /// <summary>Moves an unacknowledged event aside with the reason it can never be delivered; nothing if it is gone already.</summary>
    public void Park(long sequence, string reason)
    {
        lock (_gate)
        {
            if (Entries.FindById(sequence) is not { } entry)
            {
                return;
            }

            var database = _db.Database;
            database.BeginTrans();
            try
            {
                ParkedEvents.Upsert(new ParkedEvent { Sequence = sequence, Entry = entry, Reason = reason, ParkedAtTicks = _time.GetUtcNow().UtcTicks });
                Entries.Delete(sequence);
                database.Commit();
            }
            catch
            {
                database.Rollback();
                throw;
            }

            _count--;
            _snapshotBytes -= entry.SnapshotBytes;
            LogParked(_logger, sequence, reason);
        }

        _room.Signal();
    }

    /// <summary>Waits until something is added or the timeout passes.</summary>
    public Task<bool> WaitForEventsAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _added.WaitAsync(timeout, _time, cancellationToken);

    public void Dispose()
    {
        _added.Dispose();
        _room.Dispose();
    }

    private bool TryAppend(string json, byte[]? snapshot)
    {
        lock (_gate)
        {
            if (_count >= _options.OutboxMaxEvents)
            {
                return false;
            }

            if (snapshot is not null && snapshot.Length > _options.OutboxMaxSnapshotBytes)
            {
                LogSnapshotShed(_logger, 1, snapshot.Length);
                snapshot = null;
            }

            var database = _db.Database;
            database.BeginTrans();
            try
            {
                if (snapshot is not null)
                {
                    ShedSnapshotsFor(snapshot.Length);
                }

                var sequence = _lastSequence + 1;
                Entries.Insert(new OutboxEntry
                {
                    Sequence = sequence,
                    EventId = Guid.NewGuid(),
                    RecordedAtTicks = _time.GetUtcNow().UtcTicks,
                    EventJson = json,
                    Snapshot = snapshot,
                    SnapshotBytes = snapshot?.Length ?? 0,
                });
                Counters.Upsert(new OutboxCounter { Id = SequenceKey, Value = sequence });
                database.Commit();
                _lastSequence = sequence;
                _count++;
                _snapshotBytes += snapshot?.Length ?? 0;
                return true;
            }
            catch
            {
                database.Rollback();
                throw;
            }
        }
    }

    /// <summary>Drops the oldest snapshots until <paramref name="incoming"/> more bytes fit; their events stay.</summary>
    private void ShedSnapshotsFor(int incoming)
    {
        var shed = 0;
        var freed = 0L;
        while (_snapshotBytes - freed + incoming > _options.OutboxMaxSnapshotBytes)
        {
            var oldest = Entries.Query().Where(e => e.SnapshotBytes > 0).OrderBy(e => e.Sequence).Limit(16).ToList();
            if (oldest.Count == 0)
            {
                break;
            }

            foreach (var entry in oldest)
            {
                if (_snapshotBytes - freed + incoming <= _options.OutboxMaxSnapshotBytes)
                {
                    break;
                }

                freed += entry.SnapshotBytes;
                entry.Snapshot = null;
                entry.SnapshotBytes = 0;
                Entries.Update(entry);
                shed++;
            }
        }

        if (shed > 0)
        {
            _snapshotBytes -= freed;
            LogSnapshotShed(_logger, shed, freed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox full ({MaxEvents} events): publisher waits for the Console to catch up")]
    private static partial void LogFull(ILogger logger, int maxEvents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox shed {Count} oldest snapshot(s), {Bytes} bytes, to stay under Uplink:OutboxMaxSnapshotBytes; their events are kept")]
    private static partial void LogSnapshotShed(ILogger logger, int count, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Sequence} parked (kept in the outbox_parked collection, not resent): {Reason}")]
    private static partial void LogParked(ILogger logger, long sequence, string reason);
}

/// <summary>An event waiting in the outbox, as stored in LiteDB.</summary>
public sealed class OutboxEntry
{
    [BsonId]
    public long Sequence { get; set; }

    public Guid EventId { get; set; }

    public long RecordedAtTicks { get; set; }

    public string EventJson { get; set; } = "";

    public byte[]? Snapshot { get; set; }

    public int SnapshotBytes { get; set; }
}

/// <summary>An event that can never be delivered, kept aside as it was in the outbox, with why (collection <c>outbox_parked</c>).</summary>
public sealed class ParkedEvent
{
    [BsonId]
    public long Sequence { get; set; }

    public OutboxEntry Entry { get; set; } = new();

    public string Reason { get; set; } = "";

    public long ParkedAtTicks { get; set; }
}

/// <summary>The last sequence issued, kept apart from the entries so it survives their deletion.</summary>
public sealed class OutboxCounter
{
    public string Id { get; set; } = "";

    public long Value { get; set; }
}
