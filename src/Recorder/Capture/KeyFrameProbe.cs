using System.Globalization;
using FFMpegCore;
using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Capture;

/// <summary>Reads a few seconds of a camera's video packets with ffprobe and decides from its key frames how to decode (<see cref="GopPolicy"/>).</summary>
public static class KeyFrameProbe
{
    /// <summary>
    /// The decision of one session; unless every frame is decoded the camera's GOP is probed each session (it may have
    /// been reconfigured): key frames come at its rate, and their video time counts in it (<see cref="VideoClock"/>).
    /// </summary>
    public static async Task<GopDecision> DecideAsync(string url, CaptureOptions options, FFOptions ffOptions, CancellationToken stoppingToken)
    {
        var mode = options.DecodeKeyFramesOnly;
        if (mode == KeyFrameDecoding.Never)
        {
            return GopPolicy.Decide(mode, [], options.MaxKeyFrameInterval, options.AnalysisFps);
        }

        var length = GopPolicy.ProbeLength(options.MaxKeyFrameInterval);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(length + TimeSpan.FromSeconds(15));
        try
        {
            return GopPolicy.Decide(mode, await KeyFramesAsync(url, ffOptions, length, timeout.Token), options.MaxKeyFrameInterval, options.AnalysisFps);
        }
        catch (Exception ex) when (ex is FFMpegCore.Exceptions.FFMpegException || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            // The stream answered its probe a moment ago; without key-frame times, auto decodes every frame (always correct).
            var reason = RtspUrl.Redact(ex.Message.Split('\n', 2)[0].Trim());
            return GopPolicy.Decide(mode, [], options.MaxKeyFrameInterval, options.AnalysisFps) with
            {
                Warning = mode == KeyFrameDecoding.Auto
                    ? $"key frames could not be probed ({reason}): every frame decoded"
                    : $"key frames could not be probed ({reason}): their video time counts at the analysis rate",
            };
        }
    }

    public static async Task<IReadOnlyList<TimeSpan>> KeyFramesAsync(string url, FFOptions ffOptions, TimeSpan length, CancellationToken ct)
    {
        var arguments = string.Create(CultureInfo.InvariantCulture, $"-select_streams v:0 -read_intervals %+{length.TotalSeconds:0.###}");
        var packets = CaptureArguments.IsNetwork(url)
            ? await FFProbe.GetPacketsAsync(new Uri(url), ffOptions, $"{CaptureArguments.Network} {arguments}", ct)
            : await FFProbe.GetPacketsAsync(url, ffOptions, arguments, ct);
        return [.. KeyFrameTimes(packets.Packets.Select(p => (p.PtsTime, (string?)p.Flags)))];
    }

    /// <summary>The times of the packets flagged as key frames; ffprobe prints them as h:mm:ss.ffffff.</summary>
    public static IEnumerable<TimeSpan> KeyFrameTimes(IEnumerable<(string? PtsTime, string? Flags)> packets) =>
        from p in packets
        where p.Flags is not null && p.Flags.Contains('K', StringComparison.Ordinal)
        let parsed = TimeSpan.TryParse(p.PtsTime, CultureInfo.InvariantCulture, out var t) ? t : (TimeSpan?)null
        where parsed is not null
        select parsed.Value;
}
