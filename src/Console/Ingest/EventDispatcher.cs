using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>
/// Hands each newly stored event, typed as it arrived, to every <see cref="IIngestHandler"/>: holds confirmed,
/// attendance days folded, window states shown on screens, alerts raised or resolved (in that order, the order the
/// features register in). Once they have run, the events' "dispatch pending" mark is cleared
/// (<see cref="IEventStore.MarkDispatched"/>); an event whose node died first is claimed by the node it is resent to.
/// </summary>
public sealed partial class EventDispatcher(
    ISiteStore sites,
    IEventStore events,
    IEnumerable<IIngestHandler> handlers,
    IEnumerable<IRejectedEventsHandler> rejectionHandlers,
    TimeProvider time,
    ILogger<EventDispatcher> logger)
{
    private readonly IIngestHandler[] _handlers = [.. handlers];
    private readonly IRejectedEventsHandler[] _rejectionHandlers = [.. rejectionHandlers];

    /// <summary>Tells every <see cref="IRejectedEventsHandler"/> of events rejected for good; none rejected, nothing told.</summary>
    public async Task RejectedAsync(string siteId, IReadOnlyList<EventRejected> rejected)
    {
        if (rejected.Count == 0)
        {
            return;
        }

        var district = sites.Find(siteId)?.District ?? "";
        foreach (var handler in _rejectionHandlers)
        {
            await handler.RejectedAsync(siteId, district, rejected);
        }
    }

    /// <summary>
    /// Hands a stored batch's new and reclaimed events to the handlers, then has their marks cleared (in the store's
    /// next group commit). A clear that fails leaves the marks: the batch is acknowledged anyway, and at most a resend of
    /// it would dispatch them again.
    /// </summary>
    public async Task DispatchAsync(string siteId, IngestResult result)
    {
        var dispatching = result.ToDispatch;
        if (dispatching.Count == 0)
        {
            return;
        }

        if (result.Reclaimed.Count > 0)
        {
            LogReclaimed(logger, siteId, result.Reclaimed.Count, result.Reclaimed[0].Sequence, result.Reclaimed[^1].Sequence);
        }

        await DispatchAsync(siteId, dispatching);
        events.MarkDispatched(siteId, result);
    }

    private async Task DispatchAsync(string siteId, IReadOnlyList<EventRecorded> stored)
    {
        var district = sites.Find(siteId)?.District ?? "";
        var now = time.GetUtcNow();
        foreach (var entry in stored)
        {
            var ingested = new IngestedEvent(siteId, district, entry.Sequence, entry.Event, now, entry.SnapshotJpeg is not null);
            try
            {
                foreach (var handler in _handlers)
                {
                    await handler.HandleAsync(ingested);
                }
            }
#pragma warning disable CA1031 // The event is stored and acknowledged; one failed push must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogDispatchFailed(logger, siteId, entry.Sequence, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site {SiteId} resent {Count} events (sequences {First} to {Last}) that were stored but never dispatched (their node stopped first): dispatching them now")]
    private static partial void LogReclaimed(ILogger logger, string siteId, int count, long first, long last);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Sequence} of site {SiteId} stored but not dispatched: {Reason}")]
    private static partial void LogDispatchFailed(ILogger logger, string siteId, long sequence, string reason);
}
