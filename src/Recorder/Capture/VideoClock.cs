namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Dates the analysis frames of one session on the wall clock of their capture (every event made from a frame carries
/// its date). A frame's stream time is its index on the pipe times <c>frameInterval</c>; the anchor, the wall time of
/// stream time zero, is the earliest arrival less stream time over the last <see cref="Window"/> of frames: the frame
/// that waited least shows how late the pipe runs, and the window lets the anchor follow a camera clock that drifts
/// from the Recorder's over a session of days. Since the frame being dated is in the window, no frame is dated after
/// it arrived; nor before the frame before it (events never go back in time).
/// ffmpeg holds the start of a live stream while it opens and analyses it, then sends what it held at once: those
/// frames arrive seconds after they were taken, and only a frame that had to wait for the camera shows the real
/// delay. So the first frames are held (<see cref="Observe"/> says when they may go) until one arrives at least half an
/// interval after the frame before it, or until <see cref="MaxHeldStreamTime"/> of stream time is held (ffmpeg never
/// caught up: the best anchor so far is used).
/// <paramref name="heldByFfmpeg"/> is how long ffmpeg keeps a frame after the camera sent the next, which no arrival
/// shows since every frame waits it: measured with tools/rtsp-camera.py's clock camera (ffmpeg 5.1, H.264), the decoder
/// gives a key-frame-only frame out when the next key frame comes (one GOP), and the fps filter a frame when the input
/// passes the middle of the next output interval (half an interval) (see <see cref="HeldByFfmpeg"/>).
/// Not thread-safe: one session's frame loop uses it.
/// </summary>
public sealed class VideoClock(TimeSpan frameInterval, TimeSpan heldByFfmpeg)
{
    /// <summary>At most this much stream time is held waiting for a frame that came on time.</summary>
    public static readonly TimeSpan MaxHeldStreamTime = TimeSpan.FromSeconds(10);

    /// <summary>The stream time over which the earliest arrival anchors the clock.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long ffmpeg holds a frame of a session decoding as <paramref name="gop"/> says (see the class summary).</summary>
    public static TimeSpan HeldByFfmpeg(GopDecision gop) =>
        gop.KeyFramesOnly ? gop.KeyFrameInterval ?? gop.FrameInterval : gop.FrameInterval / 2;

    // Candidates (arrival less stream time) of the window, rising from the front, which is the anchor.
    private readonly LinkedList<(long Index, DateTimeOffset Candidate)> _candidates = new();
    private DateTimeOffset? _lastArrival;
    private DateTimeOffset _lastDated = DateTimeOffset.MinValue;

    /// <summary>The wall time of stream time zero as known now; null before the first frame.</summary>
    public DateTimeOffset? Anchor => _candidates.First?.Value.Candidate;

    /// <summary>Whether a frame has come on time, so the anchor tells the capture time (or the hold gave up).</summary>
    public bool Settled { get; private set; }

    /// <summary>Takes the arrival of the frame at <paramref name="index"/> on the pipe; returns <see cref="Settled"/>.</summary>
    public bool Observe(long index, DateTimeOffset arrivedAt)
    {
        var streamTime = index * frameInterval;
        if (_lastArrival is { } last)
        {
            Settled = Settled || arrivedAt - last >= frameInterval / 2 || streamTime >= MaxHeldStreamTime;
        }

        _lastArrival = arrivedAt;
        var candidate = arrivedAt - heldByFfmpeg - streamTime;
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
