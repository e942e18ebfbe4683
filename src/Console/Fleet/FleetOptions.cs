namespace ServiceHall.Console.Fleet;

/// <summary>How the Console judges Recorders (section <c>Fleet</c>).</summary>
public sealed class FleetOptions
{
    public const string Section = "Fleet";

    /// <summary>The heartbeat interval Recorders are expected to keep.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A Recorder is offline after this many heartbeats are missed.</summary>
    public int MissedHeartbeatsForOffline { get; set; } = 3;

    /// <summary>Largest snapshot accepted from a Recorder.</summary>
    public int MaxSnapshotBytes { get; set; } = 1024 * 1024;

    /// <summary>Window changes and site statuses are pushed to screens together, at most this long after the first of them.</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan OfflineAfter => HeartbeatInterval * MissedHeartbeatsForOffline;
}
