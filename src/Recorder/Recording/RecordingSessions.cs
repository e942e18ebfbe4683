using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Site;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Which capture session (one ffmpeg run) of each camera is writing now, when its stream started, and why the
/// previous one ended: the collector needs all three to finish segments, time them and explain gaps.
/// </summary>
public sealed class RecordingSessions(IOptions<RecordingOptions> options, IOptions<SiteOptions> site, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Session> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastLoss = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, DateTimeOffset> _anchors = new();
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
        _live[cameraId] = session;
        return session;
    }

    /// <summary>The wall time of the session's first frame: the best anchor of its stream clock.</summary>
    public void MarkFirstFrame(Session session, DateTimeOffset at) => _anchors.TryAdd(session.Id, at);

    public void End(Session session, string? lossReason)
    {
        _live.TryRemove(new KeyValuePair<string, Session>(session.CameraId, session));
        if (lossReason is not null)
        {
            _lastLoss[session.CameraId] = lossReason;
        }
    }

    public long? LiveSessionId(string cameraId) => _live.TryGetValue(cameraId, out var s) ? s.Id : null;

    /// <summary>Wall time of the session's stream start: its first frame if seen, else when ffmpeg was started.</summary>
    public DateTimeOffset Anchor(long sessionId) =>
        _anchors.TryGetValue(sessionId, out var at) ? at : DateTimeOffset.FromUnixTimeMilliseconds(sessionId);

    /// <summary>Why the camera's last session ended in this process; null if none ended (so a hole means the Recorder was down).</summary>
    public string? LastLoss(string cameraId) => _lastLoss.TryGetValue(cameraId, out var reason) ? reason : null;

    /// <summary>One ffmpeg run of one camera.</summary>
    public sealed record Session(string CameraId, long Id, string Pattern);
}
