using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Cluster;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// The latest JPEG of each camera, in memory; a restart shows none until the next heartbeat brings one. A site holds at
/// most <see cref="FleetOptions.MaxSnapshotBytesPerSite"/>: beyond it the snapshots stored longest ago are dropped.
/// Each snapshot also goes to the other nodes (not into a shared table: a node started later waits for the next one).
/// </summary>
public sealed class SnapshotCache(INodeBus bus, IOptions<FleetOptions> options)
{
    /// <summary>Topic of snapshots.</summary>
    internal const string Topic = "fleet-snapshot";

    private readonly ConcurrentDictionary<string, Site> _sites = new(StringComparer.Ordinal);

    public void Store(string siteId, string cameraId, Snapshot snapshot)
    {
        var shared = new CameraSnapshot(siteId, cameraId, snapshot);
        StoreShared(shared);
        bus.Publish(Topic, shared);
    }

    /// <summary>A snapshot another node received (or this one).</summary>
    internal void StoreShared(CameraSnapshot shared)
    {
        var (siteId, cameraId, snapshot) = shared;
        var site = _sites.GetOrAdd(siteId, _ => new Site());
        lock (site)
        {
            site.Latest[cameraId] = (snapshot, site.NextOrder++);
            var held = site.Latest.Values.Sum(s => (long)s.Snapshot.Jpeg.Length);
            while (held > options.Value.MaxSnapshotBytesPerSite && site.Latest.Count > 1)
            {
                var oldest = site.Latest.Where(s => s.Key != cameraId).MinBy(s => s.Value.Order);
                site.Latest.Remove(oldest.Key);
                held -= oldest.Value.Snapshot.Jpeg.Length;
            }
        }
    }

    public Snapshot? Find(string siteId, string cameraId)
    {
        if (!_sites.TryGetValue(siteId, out var site))
        {
            return null;
        }

        lock (site)
        {
            return site.Latest.TryGetValue(cameraId, out var s) ? s.Snapshot : null;
        }
    }

    /// <summary>Bytes of JPEG held for the site.</summary>
    public long HeldBytes(string siteId)
    {
        if (!_sites.TryGetValue(siteId, out var site))
        {
            return 0;
        }

        lock (site)
        {
            return site.Latest.Values.Sum(s => (long)s.Snapshot.Jpeg.Length);
        }
    }

    /// <summary>One stored JPEG.</summary>
    public sealed record Snapshot(DateTimeOffset TakenAt, int Width, int Height, byte[] Jpeg);

    /// <summary>One camera's snapshot, as nodes send it to each other.</summary>
    public sealed record CameraSnapshot(string SiteId, string CameraId, Snapshot Snapshot);

    /// <summary>One site's snapshots by camera, each with the order it was stored in.</summary>
    private sealed class Site
    {
        public Dictionary<string, (Snapshot Snapshot, long Order)> Latest { get; } = new(StringComparer.Ordinal);

        public long NextOrder { get; set; }
    }
}
