using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Site;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Which capture session (one ffmpeg run) of each camera is writing now, when its stream started, and why the
/// previous one ended: the collector needs all three to finish segments, time them and explain gaps.
/// </summary>
public sealed class RecordingSessions(IOptions<RecordingOptions> options, IOptions<SiteOptions> site, SegmentIndex index, TimeProvider time) : IRecordingOutput
{
    /// <summary>Free space the recordings' disk needs before a recording stopped by a write failure starts again.</summary>
    public const long ResumeFreeBytes = 16L << 20;

    private readonly ConcurrentDictionary<string, Session> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastLoss = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _anchors = new();
    private readonly ConcurrentDictionary<long, long> _monotonicAnchors = new();
    private readonly ConcurrentDictionary<string, long> _latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, long> _previousSession = new();
    private long _lastId;

    public string Root { get; } = options.Value.Root(site.Value.DataDirectory);

    public TimeSpan SegmentLength { get; } = options.Value.SegmentLength;

    /// <summary>Starts a session: makes sure its folder exists and returns the ffmpeg segment pattern.</summary>
    public Session Begin(string cameraId)
    {
        Directory.CreateDirectory(SegmentPaths.IncomingDirectory(Root, cameraId));
        // Ids are wall-clock milliseconds (readable, and ordered across restarts), forced strictly increasing.
        var id = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), Interlocked.Increment(ref _lastId));
        Interlocked.Exchange(ref _lastId, id);
        var session = new Session(cameraId, id, SegmentPaths.IncomingPattern(Root, cameraId, id));
        if (_latest.TryGetValue(cameraId, out var earlier))
        {
            _previousSession[id] = earlier;
        }

        _latest[cameraId] = id;
        _live[cameraId] = session;
        return session;
    }

    /// <summary>
    /// The wall time of the session's first frame: the best anchor of its stream clock. The frame was captured before
    /// now (the capture clock dates it back over ffmpeg's start-up), so the monotonic anchor is taken back by as much:
    /// both name the same moment, and two sessions dated back by different amounts show no clock jump.
    /// </summary>
    public void MarkFirstFrame(Session session, DateTimeOffset at)
    {
        var before = time.GetUtcNow() - at;
        _anchors.TryAdd(session.Id, at);
        _monotonicAnchors.TryAdd(session.Id, time.GetTimestamp() - (long)(before.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>
    /// How far the wall clock moved, against the monotonic clock, between the first frames of the camera's previous
    /// session and this one (positive: forward); null unless both sessions started in this process.
    /// </summary>
    public TimeSpan? ClockJump(long sessionId)
    {
        if (!_previousSession.TryGetValue(sessionId, out var previous)
            || !_anchors.TryGetValue(previous, out var previousWall) || !_monotonicAnchors.TryGetValue(previous, out var previousMonotonic)
            || !_anchors.TryGetValue(sessionId, out var wall) || !_monotonicAnchors.TryGetValue(sessionId, out var monotonic))
        {
            return null;
        }

        return wall - (previousWall + time.GetElapsedTime(previousMonotonic, monotonic));
    }

    /// <summary>Ends a session; <paramref name="gapCause"/> (when not null) explains the hole before the camera's next segment.</summary>
    public void End(Session session, string? gapCause)
    {
        _live.TryRemove(new KeyValuePair<string, Session>(session.CameraId, session));
        if (gapCause is not null)
        {
            _lastLoss[session.CameraId] = gapCause;
        }
    }

    /// <summary>
    /// The session's recording stopped (ffmpeg could not write) while its analysis frames go on. Returns the
    /// <see cref="Shared.Contracts.DiskLow"/> to report when the disk is full, else null.
    /// </summary>
    public Shared.Contracts.DiskLow? Failed(Session session, string reason)
    {
        _lastLoss[session.CameraId] = $"recording failed: {reason}";
        if (!reason.Contains("No space", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var segments = index.All();
        var holds = index.Holds();
        return new Shared.Contracts.DiskLow
        {
            CameraId = session.CameraId,
            OccurredAt = time.GetUtcNow(),
            FreeBytes = FreeBytes(),
            RecordingBytes = segments.Sum(s => s.Bytes),
            HeldBytes = segments.Where(s => holds.Any(h => h.Covers(s))).Sum(s => s.Bytes),
            Reason = $"cannot write the recording of camera {session.CameraId}: {reason}",
        };
    }

    /// <summary>Whether a recording stopped by a write failure may start again: the disk has room.</summary>
    public bool CanResume() => FreeBytes() >= ResumeFreeBytes;

    private long FreeBytes()
    {
        try
        {
            // The folder itself may have been deleted underneath: ask about the nearest one that exists.
            var path = Root;
            while (!Directory.Exists(path) && Path.GetDirectoryName(path) is { } parent)
            {
                path = parent;
            }

            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    public long? LiveSessionId(string cameraId) => _live.TryGetValue(cameraId, out var s) ? s.Id : null;

    /// <summary>Whether the session's first frame has anchored its clock (<see cref="MarkFirstFrame"/>).</summary>
    public bool IsAnchored(long sessionId) => _anchors.ContainsKey(sessionId);

    /// <summary>Wall time of the session's stream start: its first frame if seen, else when ffmpeg was started.</summary>
    public DateTimeOffset Anchor(long sessionId) =>
        _anchors.TryGetValue(sessionId, out var at) ? at : DateTimeOffset.FromUnixTimeMilliseconds(sessionId);

    /// <summary>Why the camera's last session ended in this process; null if none ended (so a hole means the Recorder was down).</summary>
    public string? LastLoss(string cameraId) => _lastLoss.TryGetValue(cameraId, out var reason) ? reason : null;

    IRecordingRun? IRecordingOutput.Begin(string cameraId) => options.Value.Enabled ? new Run(this, Begin(cameraId)) : null;

    /// <summary>One ffmpeg run of one camera.</summary>
    public sealed record Session(string CameraId, long Id, string Pattern);

    /// <summary>A session as the capture sees it.</summary>
    private sealed class Run(RecordingSessions owner, Session session) : IRecordingRun
    {
        public string SegmentPattern => session.Pattern;

        public void MarkFirstFrame(DateTimeOffset at) => owner.MarkFirstFrame(session, at);

        public Shared.Contracts.SiteEvent? Failed(string reason) => owner.Failed(session, reason);

        public bool CanResume() => owner.CanResume();

        public void End(string? gapCause) => owner.End(session, gapCause);
    }
}
