using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Fleet;

/// <summary>How the Console judges Recorders (section <c>Fleet</c>).</summary>
public sealed class FleetOptions : IValidatableObject
{
    public const string Section = "Fleet";

    /// <summary>The heartbeat interval Recorders are expected to keep.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A Recorder is offline after this many heartbeats are missed.</summary>
    public int MissedHeartbeatsForOffline { get; set; } = 3;

    /// <summary>Largest snapshot accepted from a Recorder.</summary>
    public int MaxSnapshotBytes { get; set; } = 1024 * 1024;

    /// <summary>Latest snapshots of one site held in memory, all cameras together; beyond it the oldest are dropped.</summary>
    public long MaxSnapshotBytesPerSite { get; set; } = 16 * 1024 * 1024;

    /// <summary>Window changes and site statuses are pushed to screens together, at most this long after the first of them.</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan OfflineAfter => HeartbeatInterval * MissedHeartbeatsForOffline;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Fleet:HeartbeatInterval must be at least 00:00:01", [nameof(HeartbeatInterval)]);
        }

        if (MissedHeartbeatsForOffline < 1)
        {
            yield return new ValidationResult("Fleet:MissedHeartbeatsForOffline must be at least 1", [nameof(MissedHeartbeatsForOffline)]);
        }

        if (MaxSnapshotBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return new ValidationResult("Fleet:MaxSnapshotBytes must be between 1024 and 16777216", [nameof(MaxSnapshotBytes)]);
        }

        if (MaxSnapshotBytesPerSite < MaxSnapshotBytes || MaxSnapshotBytesPerSite > 1024L * 1024 * 1024)
        {
            yield return new ValidationResult("Fleet:MaxSnapshotBytesPerSite must be between Fleet:MaxSnapshotBytes and 1073741824", [nameof(MaxSnapshotBytesPerSite)]);
        }

        if (PushInterval < TimeSpan.Zero || PushInterval > TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Fleet:PushInterval must be between 00:00:00 and 00:00:01", [nameof(PushInterval)]);
        }
    }
}
