using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>An event stored for the first time, typed as its Recorder sent it, with the district of its site.</summary>
public sealed record IngestedEvent(string SiteId, string District, long Sequence, SiteEvent Event, DateTimeOffset DispatchedAt, bool HasSnapshot = false);

/// <summary>
/// A feature that acts on each newly stored event: holds confirmed, attendance days folded, window states shown,
/// alerts raised or resolved. <see cref="EventDispatcher"/> calls every handler in registration order.
/// </summary>
public interface IIngestHandler
{
    Task HandleAsync(IngestedEvent ingested);
}

/// <summary>
/// A feature told when the Console rejects events of a site for good: the Recorder parks them rather than resending,
/// so someone must look (alerts raise <c>EventsParked</c>).
/// </summary>
public interface IRejectedEventsHandler
{
    Task RejectedAsync(string siteId, string district, IReadOnlyList<EventRejected> rejected);
}
