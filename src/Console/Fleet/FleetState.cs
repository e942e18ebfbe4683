using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// Live state of every site: connection, last heartbeat, cameras. Rebuilt from heartbeats after a restart. A site is
/// online while its heartbeats are fresh; a dropped link alone only shows it reconnecting, so a short drop that
/// reconnects within the missed-heartbeat grace opens no <c>RecorderOffline</c>.
/// </summary>
public sealed class FleetState(ISiteStore sites, IOptions<FleetOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Live> _live = new(StringComparer.Ordinal);

    public IReadOnlyList<SiteStatusChanged> All() =>
        sites.All().Select(site => Status(site, LiveOf(site.Id))).ToList();

    public SiteStatusChanged? Find(string siteId) => sites.Find(siteId) is { } site ? Status(site, LiveOf(siteId)) : null;

    public SiteStatusChanged Connected(string siteId, string connectionId)
    {
        var live = LiveOf(siteId);
        lock (live)
        {
            live.ConnectionId = connectionId;
        }

        return Find(siteId)!;
    }

    /// <summary>Marks the site reconnecting unless a newer connection has replaced this one; null if nothing changed.</summary>
    public SiteStatusChanged? Disconnected(string siteId, string connectionId)
    {
        var live = LiveOf(siteId);
        lock (live)
        {
            if (live.ConnectionId != connectionId)
            {
                return null;
            }

            live.ConnectionId = null;
        }

        return Find(siteId);
    }

    public SiteStatusChanged Heartbeat(string siteId, HeartbeatSent heartbeat)
    {
        var now = time.GetUtcNow();
        var live = LiveOf(siteId);
        lock (live)
        {
            live.LastHeartbeatAt = now;
            live.Heartbeat = heartbeat;
            live.ClockSkewSeconds = (heartbeat.SentAt - now).TotalSeconds;
        }

        return Find(siteId)!;
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

    /// <summary>Sites whose Recorder went silent for longer than the offline threshold since the last sweep.</summary>
    public IReadOnlyList<SiteStatusChanged> SweepSilent()
    {
        var changed = new List<SiteStatusChanged>();
        var now = time.GetUtcNow();
        foreach (var (siteId, live) in _live)
        {
            bool wentSilent;
            lock (live)
            {
                wentSilent = live.ReportedOnline && !IsOnline(live, now);
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
        public Dictionary<string, DateTimeOffset> SnapshotAt { get; } = new(StringComparer.Ordinal);
    }
}
