namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Dates the analysis frames of one session on the wall clock of their capture (every event made from a frame carries
/// its date): anchor plus the frame's stream time. A frame's stream time is its own, from ffmpeg (<see cref="FrameStamps"/>);
/// the anchor, the wall time of stream time zero, is the earliest "seen less stream time" over the last
/// <see cref="Window"/> of stream time, among ffmpeg's line for each frame and the frame's arrival on the pipe
/// (<see cref="MarkSource"/>): what saw a frame soonest shows how late the pipe runs, and the window lets the anchor
/// follow a camera clock that drifts from the Recorder's over a session of days. ffmpeg 5.1 prints a frame's line as
/// it leaves the filters, then holds the frame in its output until the next one (measured with tools/rtsp-camera.py's
/// clock camera: half an interval to one interval decoding every frame, a whole GOP in key-frame mode); every frame
/// waits that, so no arrival shows it, and the lines do. Since the frame being dated is in the window, no frame is dated
/// after it arrived; nor before the frame before it (events never go back in time).
/// ffmpeg holds the start of a live stream while it opens and analyses it, then sends what it held at once: those
/// frames arrive seconds after they were taken, and only frames that had to wait for the camera show the real delay
/// (the drain may come in steps). So the first frames are not dated (<see cref="Observe(PipeFrame)"/> says when frames
/// may be) until two marks of one source come in step, as far apart as their stream times (within a quarter of an
/// interval, at least 0.1 s), or until <see cref="MaxWait"/> of stream time or of wall time has gone by (ffmpeg never
/// caught up, or key frames not as regular as probed: the best anchor so far is used).
/// Without stream times from ffmpeg (a line lost: the session's frames come without from then on), a frame's stream
/// time is its index on the pipe times <c>frameInterval</c>, and the anchor comes from arrivals less
/// <paramref name="heldByFfmpeg"/> (see <see cref="HeldByFfmpeg"/>): a session whose output holds one frame more is then
/// dated up to one interval late.
/// Not thread-safe: one session's frame loop uses it.
/// </summary>
public sealed class VideoClock(TimeSpan frameInterval, TimeSpan heldByFfmpeg)
{
    /// <summary>At most this much stream time, or wall time from the first frame, goes by waiting for frames in step.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>The stream time over which the earliest arrival anchors the clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long ffmpeg holds a frame of a session decoding as <paramref name="gop"/> says, dated by arrival (see the class summary).</summary>
    public static TimeSpan HeldByFfmpeg(GopDecision gop) =>
        gop.KeyFramesOnly ? gop.KeyFrameInterval ?? gop.FrameInterval : gop.FrameInterval / 2;

    private TimeSpan InStep => frameInterval / 4 > TimeSpan.FromSeconds(0.1) ? frameInterval / 4 : TimeSpan.FromSeconds(0.1);

    // Candidates (seen less stream time) of the window, keyed by stream time; the least is the anchor.
    private readonly List<(TimeSpan StreamTime, DateTimeOffset Candidate)> _candidates = [];
    private readonly Dictionary<MarkSource, DateTimeOffset> _lastCandidate = [];
    private bool? _stamped;
    private TimeSpan _firstStreamTime;
    private TimeSpan _latestStreamTime = TimeSpan.MinValue;
    private DateTimeOffset _firstArrival;
    private TimeSpan _frameStreamTime;
    private DateTimeOffset _lastDated = DateTimeOffset.MinValue;

    /// <summary>The wall time of stream time zero as known now; null before the first frame.</summary>
    public DateTimeOffset? Anchor { get; private set; }

    /// <summary>Whether marks have come in step, so the anchor tells the capture time (or the wait gave up).</summary>
    public bool Settled { get; private set; }

    /// <summary>Whether frames are dated by their own stream time (false: by index and arrival; null before the first frame).</summary>
    public bool? Stamped => _stamped;

    /// <summary>Takes the arrival of the frame at <paramref name="index"/> on the pipe, without its stream time; returns <see cref="Settled"/>.</summary>
    public bool Observe(long index, DateTimeOffset arrivedAt) => Observe(PipeFrame.Arrived(index, arrivedAt));

    /// <summary>Takes a frame off the pipe and the marks that came with it; returns <see cref="Settled"/>.</summary>
    public bool Observe(PipeFrame frame)
    {
        var stamped = frame.Pts is not null;
        if (_stamped is null)
        {
            _firstArrival = frame.ArrivedAt;
            _firstStreamTime = frame.Pts ?? TimeSpan.Zero;
        }
        else if (_stamped == true && !stamped)
        {
            // Stream times and index times count from different zeros: the anchor is learned again from arrivals.
            _candidates.Clear();
            _lastCandidate.Clear();
            _latestStreamTime = TimeSpan.MinValue;
        }

        // Once dated by arrival, a session stays so (its frames come without stream times from then on).
        _stamped = _stamped != false && stamped;
        if (_stamped == true)
        {
            foreach (var mark in frame.Marks)
            {
                Add(mark.StreamTime, mark.SeenAt, mark.Source);
            }

            _frameStreamTime = frame.Pts!.Value;
            Add(_frameStreamTime, frame.ArrivedAt, MarkSource.Pipe);
        }
        else
        {
            _frameStreamTime = frame.Index * frameInterval;
            Add(_frameStreamTime, frame.ArrivedAt - heldByFfmpeg, MarkSource.Pipe);
        }

        Settled = Settled || _frameStreamTime - _firstStreamTime >= MaxWait || frame.ArrivedAt - _firstArrival >= MaxWait;
        _latestStreamTime = _latestStreamTime > _frameStreamTime ? _latestStreamTime : _frameStreamTime;
        _candidates.RemoveAll(c => c.StreamTime < _latestStreamTime - Window);
        Anchor = _candidates.Min(c => c.Candidate);
        return Settled;
    }

    /// <summary>The capture time of the frame observed last: anchor plus its stream time, never before the last one dated.</summary>
    public DateTimeOffset Date()
    {
        var at = Anchor!.Value + _frameStreamTime;
        _lastDated = at > _lastDated ? at : _lastDated;
        return _lastDated;
    }

    private void Add(TimeSpan streamTime, DateTimeOffset seenAt, MarkSource source)
    {
        var candidate = seenAt - streamTime;
        if (_lastCandidate.TryGetValue(source, out var last) && (candidate - last).Duration() <= InStep)
        {
            Settled = true;
        }

        _lastCandidate[source] = candidate;
        _latestStreamTime = _latestStreamTime > streamTime ? _latestStreamTime : streamTime;
        _candidates.Add((streamTime, candidate));
    }
}
