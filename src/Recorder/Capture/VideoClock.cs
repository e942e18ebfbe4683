namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Dates the analysis frames of one session on the wall clock of their capture (every event made from a frame carries
/// its date). A frame's stream time is its index on the pipe times <c>frameInterval</c>; the anchor, the wall time of
/// stream time zero, is the earliest arrival less stream time over the last <see cref="Window"/> of frames: the frame
/// that waited least shows how late the pipe runs, and the window lets the anchor follow a camera clock that drifts
/// from the Recorder's over a session of days. Since the frame being dated is in the window, no frame is dated after
/// it arrived; nor before the frame before it (events never go back in time).
/// ffmpeg holds the start of a live stream while it opens and analyses it, then sends what it held at once: those
/// frames arrive seconds after they were taken, and only frames that had to wait for the camera show the real
/// delay (the drain may come in steps: a frame after a pause can still be a GOP late). So the first frames are not dated
/// (<see cref="Observe"/> says when frames may be) until two come in step, as far apart as their stream times (within a
/// quarter of an interval, at least 0.1 s), or until <see cref="MaxWait"/> of stream time or of wall time has gone by
/// (ffmpeg never caught up, or a stream whose key frames are not as regular as probed: the best anchor so far is used).
/// <paramref name="heldByFfmpeg"/> is how long ffmpeg keeps a frame after the camera sent the next, which no arrival
/// shows since every frame waits it: measured with tools/rtsp-camera.py's clock camera (ffmpeg 5.1, H.264), the decoder
/// gives a key-frame-only frame out when the next key frame comes (one GOP), and the fps filter a frame when the input
/// passes the middle of the next output interval (half an interval) (see <see cref="HeldByFfmpeg"/>).
/// Not thread-safe: one session's frame loop uses it.
/// </summary>
public sealed class VideoClock(TimeSpan frameInterval, TimeSpan heldByFfmpeg)
{
    /// <summary>At most this much stream time, or wall time from the first frame, goes by waiting for frames in step.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    /// <summary>The stream time over which the earliest arrival anchors the clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long ffmpeg holds a frame of a session decoding as <paramref name="gop"/> says (see the class summary).</summary>
    public static TimeSpan HeldByFfmpeg(GopDecision gop) =>
        gop.KeyFramesOnly ? gop.KeyFrameInterval ?? gop.FrameInterval : gop.FrameInterval / 2;

    private TimeSpan InStep => frameInterval / 4 > TimeSpan.FromSeconds(0.1) ? frameInterval / 4 : TimeSpan.FromSeconds(0.1);

    // Candidates (arrival less stream time) of the window, rising from the front, which is the anchor.
    private readonly LinkedList<(long Index, DateTimeOffset Candidate)> _candidates = new();
    private DateTimeOffset? _lastCandidate;
    private DateTimeOffset _firstArrival;
    private DateTimeOffset _lastDated = DateTimeOffset.MinValue;

    /// <summary>The wall time of stream time zero as known now; null before the first frame.</summary>
    public DateTimeOffset? Anchor => _candidates.First?.Value.Candidate;

    /// <summary>Whether two frames have come in step, so the anchor tells the capture time (or the wait gave up).</summary>
    public bool Settled { get; private set; }

    /// <summary>Takes the arrival of the frame at <paramref name="index"/> on the pipe; returns <see cref="Settled"/>.</summary>
    public bool Observe(long index, DateTimeOffset arrivedAt)
    {
        var streamTime = index * frameInterval;
        var candidate = arrivedAt - heldByFfmpeg - streamTime;
        if (_lastCandidate is { } last)
        {
            Settled = Settled || (candidate - last).Duration() <= InStep || streamTime >= MaxWait || arrivedAt - _firstArrival >= MaxWait;
        }
        else
        {
            _firstArrival = arrivedAt;
        }

        _lastCandidate = candidate;
        while (_candidates.Last is { } back && back.Value.Candidate >= candidate)
        {
            _candidates.RemoveLast();
        }

        _candidates.AddLast((index, candidate));
        while (_candidates.First!.Value.Index * frameInterval < streamTime - Window)
        {
            _candidates.RemoveFirst();
        }

        return Settled;
    }

    /// <summary>The capture time of the frame at <paramref name="index"/> (observed before): anchor plus stream time, never before the last one dated.</summary>
    public DateTimeOffset Date(long index)
    {
        var at = Anchor!.Value + (index * frameInterval);
        _lastDated = at > _lastDated ? at : _lastDated;
        return _lastDated;
    }
}
