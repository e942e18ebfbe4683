using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Cluster;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// Live state of every site: connection, last heartbeat, cameras. Rebuilt from heartbeats after a restart. A site is
/// online while its heartbeats are fresh; a dropped link alone only shows it reconnecting, so a short drop that
/// reconnects within the missed-heartbeat grace opens no <c>RecorderOffline</c>. With more than one node, what a node
/// hears from its Recorders goes to the others through the node bus (<see cref="FleetSharing"/> applies theirs), so
/// every node shows every site.
/// </summary>
public sealed class FleetState(ISiteStore sites, INodeBus bus, IOptions<FleetOptions> options, TimeProvider time)
{
    /// <summary>Topic of connection changes; table and topic of the latest heartbeat per site.</summary>
    internal const string LinkTopic = "fleet-link", HeardTopic = "fleet-heard";

    private readonly ConcurrentDictionary<string, Live> _live = new(StringComparer.Ordinal);

    // Until then, sites last heard on other nodes are not judged silent: this node lost touch with them.
    private DateTimeOffset _judgeOthersAfter = DateTimeOffset.MinValue;

    public IReadOnlyList<SiteStatusChanged> All() =>
        sites.All().Select(site => Status(site, LiveOf(site.Id))).ToList();

    public SiteStatusChanged? Find(string siteId) => sites.Find(siteId) is { } site ? Status(site, LiveOf(siteId)) : null;

    public SiteStatusChanged Connected(string siteId, string connectionId)
    {
        var link = new SiteLinkChanged(siteId, connectionId, true);
        ApplyLink(link);
        bus.Publish(LinkTopic, link);
        return Find(siteId)!;
    }

    /// <summary>Marks the site reconnecting unless a newer connection has replaced this one; null if nothing changed.</summary>
    public SiteStatusChanged? Disconnected(string siteId, string connectionId)
    {
        var link = new SiteLinkChanged(siteId, connectionId, false);
        if (!ApplyLink(link))
        {
            return null;
        }

        bus.Publish(LinkTopic, link);
        return Find(siteId);
    }

    public SiteStatusChanged Heartbeat(string siteId, HeartbeatSent heartbeat, string? connectionId = null)
    {
        var heard = new SiteHeard(siteId, heartbeat, time.GetUtcNow(), connectionId);
        Apply(heard, locally: true);
        bus.Publish(HeardTopic, heard);
        bus.Save(HeardTopic, siteId, heard);
        return Find(siteId)!;
    }

    /// <summary>A connection change another node saw (or this one): false when a newer connection had already replaced it.</summary>
    internal bool ApplyLink(SiteLinkChanged link)
    {
        var live = LiveOf(link.SiteId);
        lock (live)
        {
            if (link.Connected)
            {
                live.ConnectionId = link.ConnectionId;
                return true;
            }

            if (live.ConnectionId != link.ConnectionId)
            {
                return false;
            }

            live.ConnectionId = null;
            return true;
        }
    }

    /// <summary>A heartbeat another node received, or one reloaded from the shared table; an older one than held is ignored.</summary>
    internal void Apply(SiteHeard heard, bool locally = false)
    {
        var live = LiveOf(heard.SiteId);
        lock (live)
        {
            if (!locally && live.LastHeartbeatAt >= heard.ReceivedAt)
            {
                return;
            }

            live.LastHeartbeatAt = heard.ReceivedAt;
            live.Heartbeat = heard.Heartbeat;
            live.ClockSkewSeconds = (heard.Heartbeat.SentAt - heard.ReceivedAt).TotalSeconds;
            live.HeardHere = locally;
            // A node that starts learns each site's connection from its latest heartbeat; after that, from the
            // connection changes themselves (a heartbeat on a connection already replaced must not bring it back).
            live.ConnectionId ??= locally ? null : heard.ConnectionId;
            // The node that heard it reported the site online; this node reports it offline if it goes silent.
            live.ReportedOnline = IsOnline(live, time.GetUtcNow());
        }
    }

    public void SnapshotStored(string siteId, string cameraId, DateTimeOffset takenAt)
    {
        var live = LiveOf(siteId);
        lock (live)
        {
            live.SnapshotAt[cameraId] = takenAt;
        }
    }

    /// <summary>
    /// Whether the site's last heartbeat lists the camera. Only such cameras may send snapshots or live video, so a hall
    /// key cannot fill the Console's memory with streams of cameras it made up.
    /// </summary>
    public bool ListsCamera(string siteId, string cameraId)
    {
        if (!_live.TryGetValue(siteId, out var live))
        {
            return false;
        }

        lock (live)
        {
            return live.Heartbeat?.Cameras.Any(c => string.Equals(c.CameraId, cameraId, StringComparison.Ordinal)) ?? false;
        }
    }

    /// <summary>
    /// Sites whose Recorder went silent for longer than the offline threshold since the last sweep. While this node is
    /// out of touch with the others, and one offline threshold after, only the sites it heard itself are judged: the
    /// others may well be heartbeating to another node.
    /// </summary>
    public IReadOnlyList<SiteStatusChanged> SweepSilent()
    {
        var changed = new List<SiteStatusChanged>();
        var now = time.GetUtcNow();
        if (!bus.InTouch)
        {
            _judgeOthersAfter = now + options.Value.OfflineAfter;
        }

        var judgeOthers = now >= _judgeOthersAfter;
        foreach (var (siteId, live) in _live)
        {
            bool wentSilent;
            lock (live)
            {
                wentSilent = live.ReportedOnline && !IsOnline(live, now) && (live.HeardHere || judgeOthers);
            }

            if (wentSilent && Find(siteId) is { } status)
            {
                changed.Add(status);
            }
        }

        return changed;
    }

    private Live LiveOf(string siteId) => _live.GetOrAdd(siteId, _ => new Live());

    private bool IsOnline(Live live, DateTimeOffset now) =>
        live.LastHeartbeatAt is { } last && now - last <= options.Value.OfflineAfter;

    private SiteStatusChanged Status(SiteRecord site, Live live)
    {
        lock (live)
        {
            var online = IsOnline(live, time.GetUtcNow());
            live.ReportedOnline = online;
            var cameras = (live.Heartbeat?.Cameras ?? [])
                .Select(c => new CameraStatus(
                    c.CameraId,
                    c.Name,
                    online && c.Online,
                    c.Width,
                    c.Height,
                    live.SnapshotAt.TryGetValue(c.CameraId, out var at) ? at : null,
                    online ? c.Error : "recorder offline",
                    online ? c.SkippedFramesLastMinute : 0,
                    c.KeyFrameIntervalSeconds,
                    c.KeyFramesOnly,
                    c.AnalysisWarning,
                    c.Streams,
                    c.AnalysisSource))
                .ToList();
            return new SiteStatusChanged(
                site.Id,
                site.Name,
                site.District,
                online,
                live.LastHeartbeatAt,
                live.Heartbeat?.RecorderVersion,
                live.ClockSkewSeconds,
                live.Heartbeat?.FreeDiskBytes,
                cameras,
                Reconnecting: online && live.ConnectionId is null,
                SingleSignal: live.Heartbeat?.SingleSignal ?? false);
        }
    }

    private sealed class Live
    {
        public string? ConnectionId { get; set; }
        public DateTimeOffset? LastHeartbeatAt { get; set; }
        public HeartbeatSent? Heartbeat { get; set; }
        public double? ClockSkewSeconds { get; set; }
        public bool ReportedOnline { get; set; }
        public bool HeardHere { get; set; }
        public Dictionary<string, DateTimeOffset> SnapshotAt { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>A site's Recorder connected (or dropped) on some node.</summary>
public sealed record SiteLinkChanged(string SiteId, string ConnectionId, bool Connected);

/// <summary>A heartbeat as a node received it: the latest per site is kept in the shared table.</summary>
public sealed record SiteHeard(string SiteId, HeartbeatSent Heartbeat, DateTimeOffset ReceivedAt, string? ConnectionId);
