using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>
/// What a supervisor's screen knows about one site. <c>Reconnecting</c>: the Recorder's link dropped but it is still
/// within its heartbeat grace (online until it misses the heartbeats that make it offline). <c>SingleSignal</c>: the
/// Recorder judges its seats by segmentation alone (its face and pose models are missing), so a dog or a coat can pass
/// for a clerk; the site page says so on every window.
/// </summary>
public sealed record SiteStatusChanged(
    string SiteId,
    string Name,
    string District,
    bool Online,
    DateTimeOffset? LastHeartbeatAt,
    string? RecorderVersion,
    double? ClockSkewSeconds,
    long? FreeDiskBytes,
    IReadOnlyList<CameraStatus> Cameras,
    bool Reconnecting = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool SingleSignal = false);

/// <summary>Site statuses pushed together: every status that changed in one push interval, oldest first.</summary>
public sealed record SiteStatusesChanged(IReadOnlyList<SiteStatusChanged> Sites);

/// <summary>One camera of a site as shown to supervisors; <paramref name="SkippedFramesLastMinute"/>, the GOP fields, <paramref name="Streams"/> and <paramref name="AnalysisSource"/> as the Recorder reported them (<see cref="CameraHealthReported"/>).</summary>
public sealed record CameraStatus(
    string CameraId,
    string Name,
    bool Online,
    int Width,
    int Height,
    DateTimeOffset? SnapshotAt,
    string? Error,
    int SkippedFramesLastMinute = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double? KeyFrameIntervalSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool KeyFramesOnly = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? AnalysisWarning = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] IReadOnlyList<CameraStreamReported>? Streams = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? AnalysisSource = null);

/// <summary>A new snapshot is available at <c>/api/sites/{SiteId}/cameras/{CameraId}/snapshot.jpg</c>.</summary>
public sealed record SnapshotUpdated(
    string SiteId,
    string CameraId,
    DateTimeOffset TakenAt,
    int Width,
    int Height);
