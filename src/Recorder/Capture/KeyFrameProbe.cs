using System.Globalization;
using FFMpegCore;

namespace ServiceHall.Recorder.Capture;

/// <summary>Reads a few seconds of a camera's video packets with ffprobe and returns its key frames' times.</summary>
public static class KeyFrameProbe
{
    /// <summary>Seconds of stream to read: at least two key frames of a 1 s GOP, without delaying a reconnect much.</summary>
    public const int Seconds = 3;

    public static async Task<IReadOnlyList<TimeSpan>> KeyFramesAsync(string url, FFOptions ffOptions, CancellationToken ct)
    {
        var arguments = $"-select_streams v:0 -read_intervals %+{Seconds}";
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
