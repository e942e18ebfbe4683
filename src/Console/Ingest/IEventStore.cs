using System.Globalization;
using JsonSerializer = System.Text.Json.JsonSerializer;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>
/// Every event Recorders delivered, kept once per (site, sequence). A replayed batch stores nothing twice; a
/// sequence reused with another event id (a Recorder whose database was replaced) is rejected, not overwritten.
/// Implemented on the LiteDB file (<see cref="LiteDbEventStore"/>) and on PostgreSQL (<see cref="PostgresEventStore"/>).
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Validates and stores a batch (already checked by <see cref="EventRules.CheckBatch"/>), and says what became of
    /// each event. The task completes only once the new events are durable; if the store cannot write, it faults and
    /// nothing is acknowledged (the Recorder keeps the batch in its outbox and sends it again).
    /// </summary>
    Task<IngestResult> StoreAsync(string siteId, EventBatchSent batch);

    /// <summary>
    /// Clears the "dispatch pending" mark of a stored batch's new events once the handlers have run
    /// (<see cref="EventDispatcher"/>); its reclaimed events lost theirs when claimed. An event stays marked from the
    /// commit that stored it until then, so one whose node died in between is dispatched by whichever node receives it
    /// again (<see cref="IngestResult.Reclaimed"/>) instead of being taken for a duplicate. Written with the next group
    /// commit and never faults the caller: a clear that fails, or is lost to a crash of the machine or database, costs at
    /// most one more dispatch of a resent batch.
    /// </summary>
    void MarkDispatched(string siteId, IngestResult result);

    /// <summary>The highest sequence stored for a site (0 before its first event): how far its outbox has been delivered.</summary>
    long HighestSequence(string siteId);

    /// <summary>A site's events in sequence order.</summary>
    IReadOnlyList<StoredEvent> ForSite(string siteId);

    /// <summary>
    /// Events of the given sites that occurred in [from, to), oldest first (then by site and sequence), at most
    /// <paramref name="limit"/>.
    /// </summary>
    IReadOnlyList<StoredEvent> InRange(IReadOnlySet<string> siteIds, DateTimeOffset from, DateTimeOffset to, int limit);

    int Count();

    /// <summary>Every stored event of one type, by site then sequence (a full scan: for rebuilding, not for requests).</summary>
    IReadOnlyList<StoredEvent> OfType(string type);

    byte[]? Snapshot(string siteId, long sequence);
}

/// <summary>
/// The acknowledgement to return, the events that were new, still typed as they arrived, and the duplicates this call
/// claimed because they were stored but never dispatched (their node died between commit and handlers): each claimed
/// by one call only, whichever node it ran on.
/// </summary>
public sealed record IngestResult(EventBatchAcknowledged Acknowledgement, IReadOnlyList<EventRecorded> Stored, IReadOnlyList<EventRecorded> Reclaimed)
{
    /// <summary>What the handlers must see, in sequence order: the reclaimed events come before the batch's new ones.</summary>
    public IReadOnlyList<EventRecorded> ToDispatch =>
        Reclaimed.Count == 0 ? Stored : [.. Reclaimed.Concat(Stored).OrderBy(e => e.Sequence)];
}

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

    /// <summary>Site and time (<see cref="EventKeys.SiteTime"/>), indexed: a site's events in a period are one index range.</summary>
    public string? SiteTime { get; set; }

    public long RecordedAtTicks { get; set; }

    public long ReceivedAtTicks { get; set; }

    public bool HasSnapshot { get; set; }

    public string EventJson { get; set; } = "";

    public DateTimeOffset OccurredAt => new(OccurredAtTicks, TimeSpan.Zero);

    /// <summary>The event read back from storage (for history: attendance, episodes, rebuilding the ledger).</summary>
    public SiteEvent ToEvent() => JsonSerializer.Deserialize<SiteEvent>(EventJson, WireJson.Options)!;

    /// <summary>The record of a new event; type and window come from the typed event, which names its type as its JSON does.</summary>
    internal static StoredEvent From(string siteId, EventRecorded entry, string json, DateTimeOffset now) =>
        new()
        {
            Id = EventKeys.Key(siteId, entry.Sequence),
            SiteId = siteId,
            Sequence = entry.Sequence,
            EventId = entry.EventId,
            Type = entry.Event.GetType().Name,
            CameraId = entry.Event.CameraId,
            WindowId = entry.Event is WindowEvent window ? window.WindowId : null,
            OccurredAtTicks = entry.Event.OccurredAt.UtcTicks,
            SiteTime = EventKeys.SiteTime(siteId, entry.Event.OccurredAt.UtcTicks),
            RecordedAtTicks = entry.RecordedAt.UtcTicks,
            ReceivedAtTicks = now.UtcTicks,
            HasSnapshot = entry.SnapshotJpeg is not null,
            EventJson = json,
        };
}

/// <summary>The string keys of stored events, the same on both providers (an event's <see cref="StoredEvent.Id"/>).</summary>
public static class EventKeys
{
    /// <summary>Key of an event: site and zero-padded sequence, so keys sort in delivery order.</summary>
    public static string Key(string siteId, long sequence) => $"{siteId}/{sequence.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>Key of an event in the site-and-time index: site, then zero-padded ticks of when it occurred.</summary>
    public static string SiteTime(string siteId, long occurredAtTicks) => $"{siteId}/{occurredAtTicks.ToString("D19", CultureInfo.InvariantCulture)}";
}
