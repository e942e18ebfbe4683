using System.Globalization;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// How one session decodes its analysis frames. <paramref name="FrameInterval"/>: video time between two frames on the
/// pipe (the GOP when key frames come slower than the analysis rate). <paramref name="KeyFrameInterval"/>: the longest
/// probed interval, null when the probe saw fewer than two key frames. <paramref name="Warning"/>: set when auto mode
/// had to decode every frame because of the GOP, for the log and the heartbeat.
/// </summary>
public sealed record GopDecision(bool KeyFramesOnly, TimeSpan FrameInterval, TimeSpan? KeyFrameInterval, string? Warning);

/// <summary>Pure decision of key-frame-only analysis from a stream's probed key-frame times (see docs/cameras.md).</summary>
public static class GopPolicy
{
    // Camera clocks jitter: a 4 s GOP measured as 4.04 s still counts as 4 s.
    private const double Slack = 1.1;

    /// <summary>
    /// In <see cref="KeyFrameDecoding.Auto"/>, key frames only when every probed interval is at most
    /// <paramref name="maxKeyFrameInterval"/>; frames then come at the GOP rate, never faster than
    /// <paramref name="analysisFps"/>. Fewer than two key frames: a GOP too long to tell, every frame decoded.
    /// </summary>
    public static GopDecision Decide(KeyFrameDecoding mode, IReadOnlyList<TimeSpan> keyFrames, TimeSpan maxKeyFrameInterval, double analysisFps)
    {
        var analysisInterval = TimeSpan.FromSeconds(1 / analysisFps);
        var intervals = Intervals(keyFrames);
        var longest = intervals.Count == 0 ? (TimeSpan?)null : intervals.Max();
        if (mode != KeyFrameDecoding.Auto)
        {
            var keyOnly = mode == KeyFrameDecoding.Always;
            return new GopDecision(keyOnly, keyOnly ? FrameIntervalOf(intervals, analysisInterval) : analysisInterval, longest, null);
        }

        if (longest is { } gop && gop.TotalSeconds <= maxKeyFrameInterval.TotalSeconds * Slack)
        {
            return new GopDecision(true, FrameIntervalOf(intervals, analysisInterval), gop, null);
        }

        return new GopDecision(false, analysisInterval, longest, FullDecodeWarning(longest, maxKeyFrameInterval));
    }

    /// <summary>
    /// The decision for a sub stream: the same rule as the main stream's (key frames whenever the GOP allows, or as
    /// <see cref="CaptureOptions.DecodeKeyFramesOnly"/> forces), but a sub stream decoded whole is the designed fallback
    /// for a long GOP, not a cost worth a warning: 640x360 at 25 fps is about 3.6 % of a core (issue 13), where the
    /// warning's 20 % is the main stream's. A warning that the key frames could not be dated stays.
    /// </summary>
    public static GopDecision ForSubStream(GopDecision decision) =>
        decision.KeyFramesOnly ? decision : decision with { Warning = null };

    /// <summary>"GOP 10 s > 4 s: every frame decoded, about 20 % of a core at 1080p" (figure of issue 13, 1080p25 H.264).</summary>
    public static string FullDecodeWarning(TimeSpan? gop, TimeSpan max) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"GOP {(gop is { } g ? $"{g.TotalSeconds:0.#} s" : "unknown")} > {max.TotalSeconds:0.#} s: every frame decoded, about 20 % of a core at 1080p");

    /// <summary>How long the key-frame probe reads: two of the longest accepted GOPs (a read may start just after a key frame), at least 3 s.</summary>
    public static TimeSpan ProbeLength(TimeSpan maxKeyFrameInterval) =>
        TimeSpan.FromSeconds(Math.Max(3, Math.Ceiling(2 * maxKeyFrameInterval.TotalSeconds * Slack)));

    private static List<TimeSpan> Intervals(IReadOnlyList<TimeSpan> keyFrames)
    {
        var sorted = keyFrames.Order().ToList();
        return [.. sorted.Zip(sorted.Skip(1), (a, b) => b - a)];
    }

    // The typical interval (median), so one late key frame does not stretch every frame's video time; never below the analysis interval.
    private static TimeSpan FrameIntervalOf(List<TimeSpan> intervals, TimeSpan analysisInterval)
    {
        if (intervals.Count == 0)
        {
            return analysisInterval;
        }

        var median = intervals.Order().ElementAt(intervals.Count / 2);
        return median > analysisInterval * Slack ? median : analysisInterval;
    }
}
