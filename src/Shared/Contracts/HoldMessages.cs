namespace ServiceHall.Shared.Contracts;

/// <summary>A supervisor placed an evidence hold at the Console: the Recorder must keep the camera's segments over the range.</summary>
public sealed record HoldRequested(string HoldId, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string PlacedBy);

/// <summary>A supervisor released an evidence hold at the Console: retention may delete its segments again.</summary>
public sealed record HoldReleaseRequested(string HoldId, string ReleasedBy);

/// <summary>Rules both ends share about evidence holds.</summary>
public static class EvidenceHolds
{
    /// <summary>Hold ids are 32 lower-case hex digits (a GUID "N"); a clip's hold has the clip's id.</summary>
    public static bool IsValidId(string? holdId) => ClipUploads.IsValidId(holdId);
}
