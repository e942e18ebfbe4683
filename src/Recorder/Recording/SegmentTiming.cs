namespace ServiceHall.Recorder.Recording;

/// <summary>Where a capture session's first segment goes on its camera's timeline, and what to say about the hole or jump before it.</summary>
/// <param name="Start">The segment's start: never before the end of the camera's latest segment.</param>
/// <param name="GapCause">Set when a hole wider than the tolerance precedes the segment: store and report it as a gap.</param>
/// <param name="ClockWentBackBy">Set when the wall clock is behind the camera's latest segment by more than the tolerance.</param>
public sealed record SegmentPlacement(DateTimeOffset Start, string? GapCause, TimeSpan? ClockWentBackBy);

/// <summary>
/// Pure rule that keeps the segment index free of overlaps when the wall clock jumps: segments are named and indexed by
/// their UTC start, taken from the wall clock when a session starts and from the stream clock after that.
/// </summary>
public static class SegmentTiming
{
    /// <param name="anchor">Wall time of the session's first frame.</param>
    /// <param name="previousEnd">End of the camera's latest indexed segment, if any.</param>
    /// <param name="clockJump">How far the wall clock moved against the monotonic clock since the camera's previous session started (null when unknown).</param>
    /// <param name="lossCause">Why the previous session ended, if known.</param>
    /// <param name="tolerance">Holes and overlaps up to this are timing jitter.</param>
    public static SegmentPlacement Place(DateTimeOffset anchor, DateTimeOffset? previousEnd, TimeSpan? clockJump, string? lossCause, TimeSpan tolerance)
    {
        if (previousEnd is not { } end)
        {
            return new SegmentPlacement(anchor, null, null);
        }

        if (anchor < end)
        {
            // Back to back rather than overlapping: the hole the jump hid cannot be measured, and nothing stored moves.
            return new SegmentPlacement(end, null, end - anchor > tolerance ? end - anchor : null);
        }

        if (anchor - end <= tolerance)
        {
            return new SegmentPlacement(anchor, null, null);
        }

        var cause = clockJump is { } jump && jump > tolerance
            ? $"wall clock jumped forward {jump.TotalSeconds:0} s"
            : lossCause ?? "recorder was not running";
        return new SegmentPlacement(anchor, cause, null);
    }
}
