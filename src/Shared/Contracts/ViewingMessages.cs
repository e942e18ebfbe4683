namespace ServiceHall.Shared.Contracts;

/// <summary>
/// Which cameras of a site supervisors are looking at now: their snapshots are wanted often, and the live cameras'
/// short segments are wanted at all. Sent to a Recorder on every change and whenever it connects (empty lists: nobody).
/// </summary>
/// <param name="AllCameras">Someone has the site page open: every camera of the site is watched.</param>
/// <param name="CameraIds">Cameras watched one by one (a patrol stop, a live view).</param>
/// <param name="LiveCameraIds">Cameras whose live video someone is playing.</param>
public sealed record CamerasWatched(bool AllCameras, IReadOnlyList<string> CameraIds, IReadOnlyList<string> LiveCameraIds)
{
    public static CamerasWatched Nobody { get; } = new(false, [], []);

    public bool IsWatched(string cameraId) => AllCameras || CameraIds.Contains(cameraId) || LiveCameraIds.Contains(cameraId);

    public bool IsLive(string cameraId) => LiveCameraIds.Contains(cameraId);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Any => AllCameras || CameraIds.Count > 0 || LiveCameraIds.Count > 0;
}

/// <summary>How a Recorder pushes live video to the Console: short MPEG-TS segments over HTTP with its site key headers.</summary>
public static class LiveUploads
{
    /// <summary>Largest segment the Console accepts.</summary>
    public const int MaxSegmentBytes = 8 * 1024 * 1024;

    /// <summary>
    /// <c>PUT ?duration=SECONDS</c> with the segment's bytes. <paramref name="name"/> is <c>{run}_{n}.ts</c>: the capture run
    /// (a new run means a new stream clock, a discontinuity for the player) and the segment's number within it.
    /// </summary>
    public static string Segment(string cameraId, string name) => $"/api/recorder/live/{cameraId}/{name}";

    /// <summary>The run and number of a segment name, or null when it is not <c>{digits}_{digits}.ts</c>.</summary>
    public static (long Run, long Number)? ParseName(string? name)
    {
        if (name is null || !name.EndsWith(".ts", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = name[..^3].Split('_');
        return parts.Length == 2 && IsDigits(parts[0]) && IsDigits(parts[1])
            && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var run)
            && long.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? (run, number)
            : null;
    }

    private static bool IsDigits(string s) => s.Length is > 0 and <= 18 && s.All(char.IsAsciiDigit);
}
