using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceHall.Recorder.Capture;

/// <summary>Who saw a frame come in: ffmpeg's filter line (the frame decoded and filtered), or the pipe (the frame whole on it).</summary>
public enum MarkSource
{
    Filter,
    Pipe,
}

/// <summary>Stream time <paramref name="StreamTime"/> (ffmpeg's, which the recording's timestamps count in too) was seen at <paramref name="SeenAt"/>.</summary>
public readonly record struct StreamMark(TimeSpan StreamTime, DateTimeOffset SeenAt, MarkSource Source);

/// <summary>
/// One frame off the pipe: its index there, when it was whole, its own stream time when ffmpeg's line for it was matched
/// (null: the session dates by arrival), and the marks seen since the frame before.
/// </summary>
public sealed record PipeFrame(long Index, DateTimeOffset ArrivedAt, TimeSpan? Pts, IReadOnlyList<StreamMark> Marks)
{
    /// <summary>A frame known by its arrival only (no stream time from ffmpeg).</summary>
    public static PipeFrame Arrived(long index, DateTimeOffset arrivedAt) => new(index, arrivedAt, null, []);
}

/// <summary>
/// Matches ffmpeg's per-frame lines (<see cref="Filter"/>: showinfo at the end of the analysis filters) to the frames on
/// the pipe; each line is also a mark of when its frame came out of the filters, before the output holds it. The n-th showinfo line is the n-th frame on the pipe (every
/// frame the filters give out is written once, <c>-fps_mode passthrough</c>), and ffmpeg prints it before it writes the
/// frame; a line that is missing, out of order, or goes back in time could pair a frame with another's time, so the
/// first such sign ends the matching for the session (<see cref="Lost"/>) and its frames are dated by arrival.
/// Lines come on the stderr thread, frames on the pipe's: thread-safe.
/// </summary>
public sealed partial class FrameStamps
{
    /// <summary>
    /// The end of the analysis filters: stream times in milliseconds (showinfo prints pts_time with six digits, which
    /// after 28 hours of stream is a whole second), then one info line per frame (without checksums, which cost a pass over the frame).
    /// </summary>
    public const string Filter = "settb=1/1000,showinfo=checksum=0";

    private readonly Lock _gate = new();
    private readonly Queue<(long N, TimeSpan Pts)> _stamps = new();
    private List<StreamMark> _marks = [];
    private long _lastN = -1;
    private TimeSpan _lastPts;
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why frames are no longer matched to their lines (null while they are).</summary>
    public string? Lost { get; private set; }

    /// <summary>Takes one stderr line seen at <paramref name="seenAt"/>; a showinfo line stamps its frame and marks when it was seen.</summary>
    public void OnLine(string line, DateTimeOffset seenAt)
    {
        if (Showinfo(line) is not { } stamp)
        {
            return;
        }

        lock (_gate)
        {
            if (Lost is not null)
            {
                return;
            }

            if (stamp.N != _lastN + 1)
            {
                LoseLocked($"ffmpeg's line of frame {stamp.N.ToString(CultureInfo.InvariantCulture)} came after frame {_lastN.ToString(CultureInfo.InvariantCulture)}'s");
                return;
            }

            if (_lastN >= 0 && stamp.Pts <= _lastPts)
            {
                LoseLocked($"frame {stamp.N.ToString(CultureInfo.InvariantCulture)} is not later than the one before");
                return;
            }

            (_lastN, _lastPts) = (stamp.N, stamp.Pts);
            _stamps.Enqueue(stamp);
            _marks.Add(new StreamMark(stamp.Pts, seenAt, MarkSource.Filter));
            var added = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            added.TrySetResult();
        }
    }

    /// <summary>
    /// The frame at <paramref name="index"/> on the pipe with its own stream time and the marks since the frame before,
    /// once its line is in; when the line is missing (a later one came, or none within <paramref name="wait"/>) or the
    /// matching was lost before, the frame by its arrival only. Indexes rise (frames the pipe dropped are skipped).
    /// </summary>
    public async ValueTask<PipeFrame> TakeAsync(long index, DateTimeOffset arrivedAt, TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetTimestamp();
        while (true)
        {
            Task added;
            lock (_gate)
            {
                if (TakeLocked(index, arrivedAt) is { } frame)
                {
                    return frame;
                }

                added = _added.Task;
            }

            var left = wait - time.GetElapsedTime(deadline);
            try
            {
                await added.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, ct);
            }
            catch (TimeoutException)
            {
                lock (_gate)
                {
                    if (TakeLocked(index, arrivedAt) is { } frame)
                    {
                        return frame;
                    }

                    LoseLocked($"no line from ffmpeg for frame {index.ToString(CultureInfo.InvariantCulture)} within {wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
                    return PipeFrame.Arrived(index, arrivedAt);
                }
            }
        }
    }

    /// <summary>The frame number and stream time of one showinfo line (<c>[Parsed_showinfo_3 @ 0x...] n:  12 pts:   6000 pts_time:6 ...</c>); null for any other line.</summary>
    public static (long N, TimeSpan Pts)? Showinfo(string line)
    {
        var match = ShowinfoPattern().Match(line);
        return match.Success
            && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && long.TryParse(match.Groups[2].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis)
                ? (n, TimeSpan.FromMilliseconds(millis))
                : null;
    }

    // Null while the frame's line may still come.
    private PipeFrame? TakeLocked(long index, DateTimeOffset arrivedAt)
    {
        if (Lost is not null)
        {
            return PipeFrame.Arrived(index, arrivedAt);
        }

        while (_stamps.TryPeek(out var front) && front.N < index)
        {
            _stamps.Dequeue();
        }

        if (_stamps.TryPeek(out var stamp) && stamp.N == index)
        {
            _stamps.Dequeue();
            var marks = _marks;
            _marks = [];
            return new PipeFrame(index, arrivedAt, stamp.Pts, marks);
        }

        if (_lastN > index)
        {
            LoseLocked($"no line from ffmpeg for frame {index.ToString(CultureInfo.InvariantCulture)}");
            return PipeFrame.Arrived(index, arrivedAt);
        }

        return null;
    }

    private void LoseLocked(string why)
    {
        Lost ??= why;
        _stamps.Clear();
        _marks = [];
        _added.TrySetResult();
    }

    [GeneratedRegex(@"\[Parsed_showinfo_\d+ @ [^\]]*\] n:\s*(\d+)\s+pts:\s*(-?\d+)\s", RegexOptions.CultureInvariant)]
    private static partial Regex ShowinfoPattern();
}
