namespace ServiceHall.Recorder.Recording;

/// <summary>What retention deletes this round, and whether it still falls short because of holds.</summary>
public sealed record RetentionPlan(IReadOnlyList<SegmentRecord> Delete, long RecordingBytesAfter, long HeldBytes, long FreeBytesAfter, string? Shortfall)
{
    /// <summary>The camera whose held recordings take the most space (what a supervisor should release first).</summary>
    public string? TopHeldCamera { get; init; }
}

/// <summary>
/// Pure retention rule: oldest first, past the age limit or while over the quota or under the free-space floor; never a
/// held segment. Exported clips still on the Recorder count in the quota (they are not segments, so never deleted here).
/// </summary>
public static class RetentionPlanner
{
    public static RetentionPlan Plan(
        IEnumerable<SegmentRecord> segments,
        IReadOnlyList<HoldRecord> holds,
        DateTimeOffset now,
        RecordingOptions options,
        long freeBytes,
        long clipBytes = 0)
    {
        var ordered = segments.OrderBy(s => s.StartTicks).ToList();
        var total = ordered.Sum(s => s.Bytes) + clipBytes;
        var free = freeBytes;
        var oldestKept = now - TimeSpan.FromDays(options.RetentionDays);
        var delete = new List<SegmentRecord>();
        var held = 0L;
        foreach (var segment in ordered)
        {
            if (holds.Any(h => h.Covers(segment)))
            {
                held += segment.Bytes;
                continue;
            }

            var expired = segment.End < oldestKept;
            var overQuota = options.MaxDiskBytes > 0 && total > options.MaxDiskBytes;
            var lowFree = free < options.MinFreeDiskBytes;
            if (!expired && !overQuota && !lowFree)
            {
                // Oldest first: every later segment is younger, and deleting has only ever improved quota and space.
                held += ordered.SkipWhile(s => s != segment).Where(s => holds.Any(h => h.Covers(s))).Sum(s => s.Bytes);
                return new RetentionPlan(delete, total, held, free, null);
            }

            delete.Add(segment);
            total -= segment.Bytes;
            free += segment.Bytes;
        }

        string? shortfall = null;
        if (options.MaxDiskBytes > 0 && total > options.MaxDiskBytes)
        {
            shortfall = $"held recordings ({held} bytes) and exported clips ({clipBytes} bytes) exceed Recording:MaxDiskBytes ({options.MaxDiskBytes}); nothing else left to delete";
        }
        else if (free < options.MinFreeDiskBytes)
        {
            shortfall = $"free space {free} bytes is below Recording:MinFreeDiskBytes ({options.MinFreeDiskBytes}) with only held recordings ({held} bytes) left";
        }

        var top = ordered.Where(s => holds.Any(h => h.Covers(s))).GroupBy(s => s.CameraId, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(s => s.Bytes)).Select(g => g.Key).FirstOrDefault();
        return new RetentionPlan(delete, total, held, free, shortfall) { TopHeldCamera = top };
    }
}
