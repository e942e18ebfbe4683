using LiteDB;
using ServiceHall.Recorder.Storage;

namespace ServiceHall.Recorder.Recording;

/// <summary>One finished segment on disk. Times are UTC ticks because LiteDB would hand DateTimes back in local time.</summary>
public sealed class SegmentRecord
{
    /// <summary>Path relative to the recordings root; the files are the truth, so the path is the key.</summary>
    [BsonId]
    public string Path { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long StartTicks { get; set; }

    public long EndTicks { get; set; }

    public long Bytes { get; set; }

    /// <summary>Capture session (ffmpeg run) it came from; 0 when rebuilt from disk.</summary>
    public long SessionId { get; set; }

    /// <summary>The stream clock (MPEG-TS PTS, seconds) at its first packet; continues across one session's segments.</summary>
    public double PtsStart { get; set; }

    [BsonIgnore]
    public DateTimeOffset Start => new(StartTicks, TimeSpan.Zero);

    [BsonIgnore]
    public DateTimeOffset End => new(EndTicks, TimeSpan.Zero);
}

/// <summary>A stretch with no recording, with its cause.</summary>
public sealed class GapRecord
{
    public int Id { get; set; }

    public string CameraId { get; set; } = "";

    public long FromTicks { get; set; }

    public long ToTicks { get; set; }

    public string Cause { get; set; } = "";

    [BsonIgnore]
    public DateTimeOffset From => new(FromTicks, TimeSpan.Zero);

    [BsonIgnore]
    public DateTimeOffset To => new(ToTicks, TimeSpan.Zero);
}

/// <summary>An evidence hold: segments of the camera overlapping the range are never deleted by retention.</summary>
public sealed class HoldRecord
{
    public int Id { get; set; }

    /// <summary>The id the Console knows the hold by (a clip's hold has the clip's id).</summary>
    public string HoldId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long FromTicks { get; set; }

    public long ToTicks { get; set; }

    public string Reason { get; set; } = "";

    public string PlacedBy { get; set; } = "";

    public long PlacedAtTicks { get; set; }

    public bool Covers(SegmentRecord segment) =>
        segment.CameraId == CameraId && segment.StartTicks < ToTicks && segment.EndTicks > FromTicks;
}

/// <summary>The segment index, gaps and holds, in the Recorder's one LiteDB file.</summary>
public sealed class SegmentIndex
{
    private readonly ILiteCollection<SegmentRecord> _segments;
    private readonly ILiteCollection<GapRecord> _gaps;
    private readonly ILiteCollection<HoldRecord> _holds;

    public SegmentIndex(RecorderDatabase database)
    {
        var db = database.Database;
        _segments = db.GetCollection<SegmentRecord>("segments");
        _segments.EnsureIndex(s => s.CameraId);
        _segments.EnsureIndex(s => s.StartTicks);
        _gaps = db.GetCollection<GapRecord>("gaps");
        _gaps.EnsureIndex(g => g.CameraId);
        _holds = db.GetCollection<HoldRecord>("holds");
        _holds.EnsureIndex(h => h.HoldId);
    }

    public void Upsert(SegmentRecord segment) => _segments.Upsert(segment);

    public bool Remove(string path) => _segments.Delete(path);

    public IReadOnlyList<SegmentRecord> All() => _segments.FindAll().OrderBy(s => s.StartTicks).ToList();

    public IReadOnlyList<SegmentRecord> ForCamera(string cameraId) =>
        _segments.Find(s => s.CameraId == cameraId).OrderBy(s => s.StartTicks).ToList();

    /// <summary>Segments of the camera overlapping [from, to), oldest first.</summary>
    public IReadOnlyList<SegmentRecord> Covering(string cameraId, DateTimeOffset from, DateTimeOffset to)
    {
        var (f, t) = (from.UtcTicks, to.UtcTicks);
        return _segments.Find(s => s.CameraId == cameraId && s.StartTicks < t && s.EndTicks > f).OrderBy(s => s.StartTicks).ToList();
    }

    /// <summary>The camera's latest segment, by end.</summary>
    public SegmentRecord? Latest(string cameraId) =>
        _segments.Find(s => s.CameraId == cameraId).OrderByDescending(s => s.EndTicks).FirstOrDefault();

    /// <summary>The latest segment of one capture session, to continue its clock.</summary>
    public SegmentRecord? LatestOfSession(string cameraId, long sessionId) =>
        _segments.Find(s => s.CameraId == cameraId && s.SessionId == sessionId).OrderByDescending(s => s.StartTicks).FirstOrDefault();

    public GapRecord AddGap(string cameraId, DateTimeOffset from, DateTimeOffset to, string cause)
    {
        var gap = new GapRecord { CameraId = cameraId, FromTicks = from.UtcTicks, ToTicks = to.UtcTicks, Cause = cause };
        _gaps.Insert(gap);
        return gap;
    }

    public IReadOnlyList<GapRecord> Gaps(string cameraId) => _gaps.Find(g => g.CameraId == cameraId).OrderBy(g => g.FromTicks).ToList();

    public HoldRecord AddHold(string holdId, string cameraId, DateTimeOffset from, DateTimeOffset to, string reason, string placedBy, DateTimeOffset placedAt)
    {
        var hold = new HoldRecord
        {
            HoldId = holdId,
            CameraId = cameraId,
            FromTicks = from.UtcTicks,
            ToTicks = to.UtcTicks,
            Reason = reason,
            PlacedBy = placedBy,
            PlacedAtTicks = placedAt.UtcTicks,
        };
        _holds.Insert(hold);
        return hold;
    }

    public IReadOnlyList<HoldRecord> Holds() => _holds.FindAll().ToList();

    public HoldRecord? FindHold(string holdId) => _holds.FindOne(h => h.HoldId == holdId);

    public bool ReleaseHold(string holdId) => _holds.DeleteMany(h => h.HoldId == holdId) > 0;
}
