using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Monitor;
using ServiceHall.Console.Recorders;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Hubs;

/// <summary>
/// Where Recorders report; a Recorder speaks only for the site its key belongs to. Each message goes to the feature
/// that owns it: live status to Fleet (whose changes reach screens and alert rules), snapshots to the screens, events
/// to Ingest, windows to Seats; a connecting Recorder is greeted by every <see cref="IRecorderGreeter"/>.
/// </summary>
[Authorize(AuthenticationSchemes = SiteKeyAuthenticationHandler.SchemeName)]
public sealed partial class RecorderHub(
    FleetState fleet,
    FleetChanges changes,
    ISiteStore sites,
    MonitorBroadcaster broadcaster,
    SnapshotCache snapshots,
    IEventStore events,
    EventDispatcher dispatcher,
    IngestMetrics metrics,
    SeatRelay seats,
    IEnumerable<IRecorderGreeter> greeters,
    IOptions<FleetOptions> options,
    TimeProvider time,
    ILogger<RecorderHub> logger) : Hub<IRecorderClient>, IRecorderHub
{
    private string SiteId => SiteKeyAuthenticationHandler.SiteOf(Context.User)
        ?? throw new HubException("not a Recorder connection");

    /// <summary>The site of this connection, once its key is known to be unrevoked; a revoked key ends the connection.</summary>
    private string AdmittedSiteId()
    {
        var siteId = SiteId;
        var keyId = Context.User?.FindFirst(SiteKeyAuthenticationHandler.KeyIdClaim)?.Value ?? "";
        if (!sites.IsActiveKey(siteId, keyId))
        {
            LogKeyRevoked(logger, siteId, keyId);
            Context.Abort();
            throw new HubException("site key revoked");
        }

        return siteId;
    }

    public override async Task OnConnectedAsync()
    {
        var siteId = SiteId;
        await Groups.AddToGroupAsync(Context.ConnectionId, Shared.Contracts.Groups.Recorder(siteId));
        LogConnected(logger, siteId, Context.ConnectionId);
        await changes.PublishAsync(fleet.Connected(siteId, Context.ConnectionId));
        foreach (var greeter in greeters)
        {
            await greeter.GreetAsync(siteId, Clients.Caller);
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var siteId = SiteId;
        LogDisconnected(logger, siteId, exception?.Message ?? "closed");
        if (fleet.Disconnected(siteId, Context.ConnectionId) is { } status)
        {
            await changes.PublishAsync(status);
        }
    }

    public async Task<HeartbeatAcknowledged> Heartbeat(HeartbeatSent heartbeat)
    {
        var siteId = AdmittedSiteId();
        var problem = RecorderMessageRules.Check(heartbeat);
        if (problem is not null)
        {
            LogRejected(logger, siteId, nameof(Heartbeat), problem);
            throw new HubException($"heartbeat rejected: {problem}");
        }

        await changes.PublishAsync(fleet.Heartbeat(siteId, heartbeat, Context.ConnectionId));
        return new HeartbeatAcknowledged(time.GetUtcNow());
    }

    public async Task PublishSnapshot(SnapshotTaken snapshot)
    {
        var siteId = AdmittedSiteId();
        var problem = RecorderMessageRules.Check(snapshot, options.Value.MaxSnapshotBytes)
            ?? (fleet.ListsCamera(siteId, snapshot.CameraId) ? null : $"camera {snapshot.CameraId} is not in the site's last heartbeat");
        if (problem is not null)
        {
            LogRejected(logger, siteId, nameof(PublishSnapshot), problem);
            throw new HubException($"snapshot rejected: {problem}");
        }

        snapshots.Store(siteId, snapshot.CameraId, new SnapshotCache.Snapshot(snapshot.TakenAt, snapshot.Width, snapshot.Height, snapshot.Jpeg));
        fleet.SnapshotStored(siteId, snapshot.CameraId, snapshot.TakenAt);
        await broadcaster.SnapshotChanged(new SnapshotUpdated(siteId, snapshot.CameraId, snapshot.TakenAt, snapshot.Width, snapshot.Height));
    }

    public async Task<EventBatchAcknowledged> PublishEvents(EventBatchSent batch)
    {
        var siteId = AdmittedSiteId();
        var problem = EventRules.CheckBatch(batch);
        if (problem is not null)
        {
            LogRejected(logger, siteId, nameof(PublishEvents), problem);
            metrics.Refused();
            throw new HubException($"batch rejected: {problem}");
        }

        var storing = time.GetTimestamp();
        var result = await events.StoreAsync(siteId, batch);
        var ack = result.Acknowledgement;
        metrics.Batch(ack.Stored, ack.Duplicates, ack.Rejected.Count, time.GetElapsedTime(storing));
        foreach (var rejected in result.Acknowledgement.Rejected)
        {
            LogEventRejected(logger, siteId, rejected.Sequence, rejected.Reason);
        }

        // Stored first: the push to screens happens before the acknowledgement, but a failed push never loses the event.
        await dispatcher.DispatchAsync(siteId, result);
        await dispatcher.RejectedAsync(siteId, ack.Rejected);
        return result.Acknowledgement;
    }

    public async Task ReportWindows(WindowsReported report)
    {
        var siteId = AdmittedSiteId();
        if (RecorderMessageRules.Check(report) is { } problem)
        {
            LogRejected(logger, siteId, nameof(ReportWindows), problem);
            throw new HubException($"windows rejected: {problem}");
        }

        await seats.ReportedAsync(siteId, report, Clients.Caller);
    }

    public Task SeatChangeApplied(SeatChangeApplied result) => seats.AnsweredAsync(AdmittedSiteId(), result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Site {SiteId} key {KeyId} was revoked: closing its Recorder connection")]
    private static partial void LogKeyRevoked(ILogger logger, string siteId, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected event {Sequence} from site {SiteId}: {Problem}")]
    private static partial void LogEventRejected(ILogger logger, string siteId, long sequence, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorder of site {SiteId} connected ({ConnectionId})")]
    private static partial void LogConnected(ILogger logger, string siteId, string connectionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorder of site {SiteId} disconnected: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string siteId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {Method} from site {SiteId}: {Problem}")]
    private static partial void LogRejected(ILogger logger, string siteId, string method, string problem);
}
