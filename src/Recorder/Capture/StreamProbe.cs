using FFMpegCore;
using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// What ffprobe saw of one stream before its session starts. <paramref name="Width"/> and <paramref name="Height"/> are
/// rounded down to even (<see cref="CameraFrame.EvenSize"/>); <paramref name="Codec"/> and <paramref name="BitrateKbps"/>
/// are what the stream announces (many cameras announce no bitrate: null).
/// </summary>
public sealed record StreamInfo(int Width, int Height, GopDecision Gop, string? Codec = null, long? BitrateKbps = null);

/// <summary>Opens a stream with ffprobe: its video, its resolution and (<see cref="KeyFrameProbe"/>) its GOP.</summary>
public static class StreamProbe
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Probes <paramref name="url"/>, the camera's stream of <paramref name="role"/>: both decide from their key frames
    /// (<see cref="GopPolicy"/>); a sub stream whose GOP is too long is decoded whole without a warning
    /// (<see cref="GopPolicy.ForSubStream"/>). Throws with a reason a supervisor can act on.
    /// </summary>
    public static async Task<StreamInfo> ProbeAsync(string url, CaptureOptions options, StreamRole role, CancellationToken ct)
    {
        using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probeTimeout.CancelAfter(AnswerTimeout);
        var ffOptions = FfOptions(options.FfmpegPath);
        IMediaAnalysis analysis;
        try
        {
            analysis = CaptureArguments.IsNetwork(url)
                ? await FFProbe.AnalyseAsync(new Uri(url), ffOptions, CaptureArguments.Network, probeTimeout.Token)
                : await FFProbe.AnalyseAsync(url, ffOptions, null, probeTimeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException("camera did not answer within 15 s");
        }
        catch (FFMpegCore.Exceptions.FFMpegException ex)
        {
            throw new InvalidOperationException(CaptureFailure.Classify(ex.Message) ?? $"cannot open stream: {FirstLine(ex.Message)}", ex);
        }

        var video = analysis.PrimaryVideoStream ?? throw new InvalidOperationException("stream has no video");
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        if (width is < 2 or > 8192 || height is < 2 or > 8192)
        {
            throw new InvalidOperationException($"implausible resolution {width}x{height}");
        }

        (width, height) = CameraFrame.EvenSize(width, height);
        var gop = await KeyFrameProbe.DecideAsync(url, options, ffOptions, ct);
        if (role == StreamRole.Sub)
        {
            gop = GopPolicy.ForSubStream(gop);
        }

        var bitrate = video.BitRate > 0 ? video.BitRate / 1000 : (long?)null;
        return new StreamInfo(width, height, gop, string.IsNullOrEmpty(video.CodecName) ? null : video.CodecName, bitrate);
    }

    public static FFOptions FfOptions(string ffmpegPath) =>
        new() { BinaryFolder = Path.IsPathRooted(ffmpegPath) ? Path.GetDirectoryName(ffmpegPath) ?? "" : "" };

    public static string FirstLine(string text) => RtspUrl.Redact(text.Split('\n', 2)[0].Trim());
}
