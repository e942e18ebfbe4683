using System.Collections.Concurrent;

namespace ServiceHall.Console.Fleet;

/// <summary>The latest JPEG of each camera, in memory; a restart shows none until the next heartbeat brings one.</summary>
public sealed class SnapshotCache
{
    private readonly ConcurrentDictionary<(string Site, string Camera), Snapshot> _latest = new();

    public void Store(string siteId, string cameraId, Snapshot snapshot) => _latest[(siteId, cameraId)] = snapshot;

    public Snapshot? Find(string siteId, string cameraId) => _latest.TryGetValue((siteId, cameraId), out var s) ? s : null;

    /// <summary>One stored JPEG.</summary>
    public sealed record Snapshot(DateTimeOffset TakenAt, int Width, int Height, byte[] Jpeg);
}
