namespace ServiceHall.Shared.Contracts;

/// <summary>Paths of the Console's hubs.</summary>
public static class HubPaths
{
    public const string Recorder = "/hubs/recorder";
    public const string Monitor = "/hubs/monitor";
}

/// <summary>Headers a Recorder presents to <see cref="HubPaths.Recorder"/>.</summary>
public static class SiteKeyHeaders
{
    public const string SiteId = "X-ServiceHall-Site";
    public const string Key = "X-ServiceHall-Key";
}

/// <summary>Methods a Recorder calls on the Console.</summary>
public interface IRecorderHub
{
    Task<HeartbeatAcknowledged> Heartbeat(HeartbeatSent heartbeat);

    Task PublishSnapshot(SnapshotTaken snapshot);

    /// <summary>Stores a batch of outbox entries idempotently by (site, sequence), then acknowledges it.</summary>
    Task<EventBatchAcknowledged> PublishEvents(EventBatchSent batch);

    /// <summary>The Recorder's windows (seat polygons, departments, thresholds); on every connect and after a seat change.</summary>
    Task ReportWindows(WindowsReported report);

    /// <summary>The outcome of a <see cref="IRecorderClient.ChangeSeat"/>.</summary>
    Task SeatChangeApplied(SeatChangeApplied result);
}

/// <summary>Methods the Console calls on a Recorder.</summary>
public interface IRecorderClient
{
    /// <summary>Cut a clip by stream copy and upload it to <see cref="ClipUploads"/>; progress is visible as the upload grows.</summary>
    Task RequestClip(ClipRequested request);

    /// <summary>Place an evidence hold (idempotent by id); the Recorder confirms with a <see cref="HoldPlaced"/> event.</summary>
    Task PlaceHold(HoldRequested request);

    /// <summary>Release an evidence hold (idempotent by id); the Recorder confirms with a <see cref="HoldReleased"/> event.</summary>
    Task ReleaseHold(HoldReleaseRequested request);

    /// <summary>Use a new seat polygon for one window from now on (persisted over the settings file); answer with <see cref="IRecorderHub.SeatChangeApplied"/>.</summary>
    Task ChangeSeat(SeatChangeRequested request);

    /// <summary>Which cameras are being viewed now: send their snapshots often, and push live segments of the live ones.</summary>
    Task WatchCameras(CamerasWatched watched);
}

/// <summary>Methods a supervisor's browser calls on the Console.</summary>
public interface IMonitorHub
{
    /// <summary>Watches every site the user may see; replaces this connection's earlier subscription.</summary>
    Task<IReadOnlyList<SiteStatusChanged>> WatchAll();

    /// <summary>Watches one district (refused unless the user may see it); replaces the earlier subscription.</summary>
    Task<IReadOnlyList<SiteStatusChanged>> WatchDistrict(string district);

    /// <summary>Watches one site (refused unless the user may see it); replaces the earlier subscription.</summary>
    Task<IReadOnlyList<SiteStatusChanged>> WatchSite(string siteId);

    /// <summary>Watches one camera of a site (a patrol stop): like <see cref="WatchSite"/>, but only that camera's snapshots are wanted often.</summary>
    Task<IReadOnlyList<SiteStatusChanged>> WatchCamera(string siteId, string cameraId);

    /// <summary>Plays one camera's live video (one per connection, kept apart from the subscription); ends with <see cref="StopLive"/> or the connection.</summary>
    Task WatchLive(string siteId, string cameraId);

    Task StopLive();
}

/// <summary>Methods the Console calls on a supervisor's browser.</summary>
public interface IMonitorClient
{
    /// <summary>Site statuses are batched per push interval, like window changes.</summary>
    Task SiteStatusesChanged(SiteStatusesChanged batch);

    Task SnapshotUpdated(SnapshotUpdated snapshot);

    /// <summary>Window changes are batched per push interval (one message per screen, not one per change).</summary>
    Task WindowStatesChanged(WindowStatesChanged batch);

    Task AlertRaised(AlertRaised alert);

    Task AlertChanged(AlertChanged alert);

    /// <summary>A site's windows or seat changes changed (sent to the site's watchers).</summary>
    Task SiteSeatsChanged(SiteSeatsChanged seats);

    /// <summary>A clip of a watched site moved on (requested, uploading, complete, failed).</summary>
    Task ClipProgressed(ClipProgressed clip);
}

/// <summary>The one place SignalR group names are made.</summary>
public static class Groups
{
    public const string AllSites = "sites:all";

    public static string Site(string siteId) => $"site:{siteId}";

    public static string District(string district) => $"district:{district}";

    public static string Recorder(string siteId) => $"recorder:{siteId}";
}
