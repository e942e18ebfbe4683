using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>
/// One outbox entry on the wire: the event with the id and per-site sequence the Recorder gave it when it
/// stored it. The Console keeps (site, sequence) unique, so a replay after a lost acknowledgement is harmless.
/// </summary>
public sealed record EventRecorded(
    Guid EventId,
    long Sequence,
    DateTimeOffset RecordedAt,
    [property: JsonConverter(typeof(TolerantEventConverter))] SiteEvent Event,
    byte[]? SnapshotJpeg);

/// <summary>A batch of outbox entries in ascending sequence order; the site comes from the connection's key.</summary>
public sealed record EventBatchSent(IReadOnlyList<EventRecorded> Events);

/// <summary>
/// The Console's answer to a batch: every sequence from <see cref="FirstSequence"/> to <see cref="LastSequence"/>
/// is now the Console's responsibility (stored, already stored, or rejected for good with a reason), so the
/// Recorder may mark them done.
/// </summary>
public sealed record EventBatchAcknowledged(
    long FirstSequence,
    long LastSequence,
    int Stored,
    int Duplicates,
    IReadOnlyList<EventRejected> Rejected);

/// <summary>
/// An event the Console will never accept (bad ids, impossible times, oversized snapshot, a type it does not know), and
/// why. The Recorder parks it (keeps it aside, unsent) and goes on with the events after it.
/// </summary>
public sealed record EventRejected(long Sequence, string Reason);

/// <summary>Limits both ends agree on.</summary>
public static class EventBatchLimits
{
    /// <summary>The Console refuses a batch with more events than this.</summary>
    public const int MaxEvents = 500;
}
