using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>
/// Periodic liveness report from a Recorder; the site comes from the connection's key, never from the message.
/// <c>SingleSignal</c>: the seats are judged by segmentation alone because the face and pose models are missing
/// (absent, false, from older Recorders).
/// </summary>
public sealed record HeartbeatSent(
    string SiteName,
    string RecorderVersion,
    DateTimeOffset SentAt,
    long FreeDiskBytes,
    IReadOnlyList<CameraHealthReported> Cameras,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool SingleSignal = false);

/// <summary>
/// One camera's health as the Recorder sees it. <paramref name="SkippedFramesLastMinute"/>: analysis frames skipped in
/// the last minute because the analysis was behind the camera (the box has more cameras than it can analyse; the
/// recording is not affected). Older Recorders do not send it: 0.
/// <paramref name="KeyFrameIntervalSeconds"/>: the longest key-frame interval probed on the analysed stream (absent:
/// not probed or too long to see). <paramref name="AnalysisWarning"/>: what the analysis costs more than it should, e.g.
/// "GOP 10 s > 4 s: every frame decoded, about 20 % of a core at 1080p" (absent: nothing to say).
/// <paramref name="Streams"/>: the camera's main stream and, when it has one, its sub stream (absent from older
/// Recorders). <paramref name="AnalysisSource"/>: <c>sub</c> or <c>main</c>, the stream the analysis reads now; absent
/// for a camera without a sub stream (always the main).
/// </summary>
public sealed record CameraHealthReported(
    string CameraId,
    string Name,
    bool Online,
    DateTimeOffset? LastFrameAt,
    int Width,
    int Height,
    string? Error,
    int SkippedFramesLastMinute = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double? KeyFrameIntervalSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool KeyFramesOnly = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? AnalysisWarning = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] IReadOnlyList<CameraStreamReported>? Streams = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? AnalysisSource = null);

/// <summary>
/// One stream (one RTSP session) of a camera. <paramref name="Role"/>: <c>main</c> (recorded) or <c>sub</c>.
/// <paramref name="State"/>: <c>connecting</c>, <c>up</c>, <c>down</c>, or <c>refused</c> (it answers but cannot be
/// used, e.g. a sub stream of another shape than the main; <paramref name="Error"/> says why). Codec, size, GOP and
/// bitrate are as last probed; absent when not known (many cameras announce no bitrate).
/// </summary>
public sealed record CameraStreamReported(
    string Role,
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? Codec = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Width = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Height = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double? KeyFrameIntervalSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long? BitrateKbps = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? Error = null);

/// <summary>The Console's answer to a heartbeat; carries its clock so the Recorder can tell its own skew.</summary>
public sealed record HeartbeatAcknowledged(DateTimeOffset ServerTime);

/// <summary>A JPEG still of one camera, taken from the analysis frames.</summary>
public sealed record SnapshotTaken(
    string CameraId,
    DateTimeOffset TakenAt,
    int Width,
    int Height,
    byte[] Jpeg);
