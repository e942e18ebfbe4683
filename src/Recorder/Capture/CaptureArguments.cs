using System.Globalization;

namespace ServiceHall.Recorder.Capture;

/// <summary>Pure builders of the ffmpeg arguments for one camera, so tests can compare them as strings.</summary>
public static class CaptureArguments
{
    /// <summary>Options placed before <c>-i</c>.</summary>
    public static string Input(string url) =>
        IsNetwork(url)
            // TCP survives NAT and lossy links better than UDP; -timeout (µs) turns a silent socket into an exit.
            ? "-rtsp_transport tcp -timeout 5000000"
            // Files (tests, benchmarks) are read at their native rate, looping, like a live camera.
            : "-re -stream_loop -1";

    /// <summary>Options of the decoded low-rate BGR frame output that feeds analysis and snapshots.</summary>
    public static string AnalysisOutput(double fps) =>
        string.Create(CultureInfo.InvariantCulture, $"-map 0:v:0 -an -sn -dn -vf fps={fps:0.###} -pix_fmt bgr24 -f rawvideo");

    public static bool IsNetwork(string url) =>
        url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);
}
