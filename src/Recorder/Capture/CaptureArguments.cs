using System.Globalization;

namespace ServiceHall.Recorder.Capture;

/// <summary>Pure builders of the ffmpeg arguments for one camera, so tests can compare them as strings.</summary>
public static class CaptureArguments
{
    /// <summary>
    /// Decoder options of the analysis frames. One decoding thread: a box runs dozens of cameras on two cores, and with
    /// one analysed frame a second frame threading only adds overhead. Key frames only drops every other frame before
    /// decoding. Both act on decoding only, so the recording (stream copy) keeps every frame.
    /// </summary>
    public static string Decoding(bool keyFramesOnly) => keyFramesOnly ? "-threads 1 -skip_frame nokey" : "-threads 1";

    /// <summary>
    /// Input options of a network camera, for ffmpeg and ffprobe alike: TCP survives NAT and lossy links better than
    /// UDP; -timeout (µs) turns a silent socket into an exit.
    /// </summary>
    public const string Network = "-rtsp_transport tcp -timeout 5000000";

    /// <summary>Options placed before <c>-i</c>.</summary>
    public static string Input(string url, bool keyFramesOnly)
    {
        // Files (tests, benchmarks) are read at their native rate, looping, like a live camera.
        var source = IsNetwork(url) ? Network : "-re -stream_loop -1";
        return $"{source} {Decoding(keyFramesOnly)}";
    }

    /// <summary>
    /// Options of the decoded low-rate frame output that feeds analysis and snapshots, as planar YUV 4:2:0
    /// (<see cref="CameraFrame"/>). The size is pinned to the probed one (rounded down to even), so a camera that changes
    /// resolution mid-stream cannot shift the frame boundaries on the pipe.
    /// With <paramref name="keyFramesOnly"/> the fps filter would repeat a key frame to fill a GOP longer than the
    /// analysis interval; the frames pass at their own times instead, the first of each output tick (select), so they
    /// come at the GOP rate and never above <paramref name="fps"/>.
    /// Each frame's own stream time goes to stderr (<see cref="FrameStamps.Filter"/>), which dates it (<see cref="VideoClock"/>);
    /// -fps_mode passthrough writes every frame the filters give out once, so the n-th line is the n-th frame on the pipe.
    /// -flush_packets 1 sends each frame down the pipe whole as it is made: next to the recording output, ffmpeg kept the
    /// end of a frame in its buffer until the next frame came (a key-frame-only frame one GOP late, its events dated so).
    /// </summary>
    public static string AnalysisOutput(double fps, int width, int height, bool keyFramesOnly = false) =>
        keyFramesOnly
            ? string.Create(CultureInfo.InvariantCulture, $"-map 0:v:0 -an -sn -dn -vf scale={width}:{height},select=isnan(prev_selected_t)+gt(floor(t*{fps:0.###})\\,floor(prev_selected_t*{fps:0.###})),{FrameStamps.Filter} {FrameOutput}")
            : string.Create(CultureInfo.InvariantCulture, $"-map 0:v:0 -an -sn -dn -vf fps={fps:0.###},scale={width}:{height},{FrameStamps.Filter} {FrameOutput}");

    private const string FrameOutput = "-fps_mode passthrough -pix_fmt yuv420p -flush_packets 1 -f rawvideo";

    /// <summary>
    /// Options of the recording output written by the same ffmpeg process: the first video stream copied (no re-encode)
    /// into MPEG-TS segments of about <paramref name="segmentLength"/> (cut at the next key frame), which stay playable
    /// up to the last complete packet when the process dies. Timestamps are not reset, so consecutive segments of one
    /// session continue each other's clock. The segments are written through a tee whose failure is ignored (next to a
    /// null output, so the tee never fails as a whole): a full disk or a deleted folder stops the recording, never the
    /// analysis frames; ffmpeg then prints the line <see cref="RecordingFailure"/> recognises.
    /// </summary>
    public static string RecordingOutput(string segmentPattern, TimeSpan segmentLength) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"-map 0:v:0 -c:v copy -an -sn -dn -f tee \"[f=segment:segment_time={segmentLength.TotalSeconds:0.###}:segment_format=mpegts:onfail=ignore]{TeeEscape(segmentPattern)}|[f=null]-\"");

    /// <summary>Why the recording output failed, from one ffmpeg stderr line; null for any other line.</summary>
    public static string? RecordingFailure(string stderrLine)
    {
        const string marker = "Slave muxer #0 failed: ";
        var at = stderrLine.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var reason = stderrLine[(at + marker.Length)..];
        var end = reason.IndexOf(", continuing", StringComparison.Ordinal);
        return end < 0 ? reason.Trim() : reason[..end];
    }

    // The tee splits outputs at '|' and unescapes with '\' and quotes.
    private static string TeeEscape(string path) =>
        path.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal).Replace("|", @"\|", StringComparison.Ordinal);

    /// <summary>Both outputs of one camera's process: the recording (when <paramref name="segmentPattern"/> is set) and the analysis frames.</summary>
    public static string Outputs(string? segmentPattern, TimeSpan segmentLength, double fps, int width, int height, bool keyFramesOnly = false) =>
        segmentPattern is null
            ? AnalysisOutput(fps, width, height, keyFramesOnly)
            : $"{RecordingOutput(segmentPattern, segmentLength)} {AnalysisOutput(fps, width, height, keyFramesOnly)}";

    /// <summary>
    /// Options of a process that decodes nothing: the recording (when <paramref name="segmentPattern"/> is set) and a
    /// copy to the null muxer, whose target (<c>-</c>) the caller adds. The null output keeps the process's last output
    /// in place whatever else it writes, and its progress lines say the stream is alive.
    /// </summary>
    public static string CopyOutputs(string? segmentPattern, TimeSpan segmentLength) =>
        segmentPattern is null ? NullCopy : $"{RecordingOutput(segmentPattern, segmentLength)} {NullCopy}";

    private const string NullCopy = "-map 0:v:0 -c:v copy -an -sn -dn -f null";

    public static bool IsNetwork(string url) =>
        url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);
}
