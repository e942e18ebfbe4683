using ServiceHall.Recorder.Recording;
using ServiceHall.Recorder.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>The files are the truth: the index follows the disk, whatever happened to the database or the clock.</summary>
public sealed class SegmentIndexReconcileTests
{
    private static readonly DateTimeOffset Session1 = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task DatabaseLost_ReconcileRebuildsTheIndexFromTheFiles()
    {
        using var data = new TempDirectory();
        IReadOnlyList<SegmentRecord> before;
        using (var rig = new RecordingRig(data: data))
        {
            await WriteSessionAsync(rig, Session1, count: 3);
            await rig.Collector.CollectAsync(CancellationToken.None);
            before = rig.Index.ForCamera("cam-1");
            Assert.Equal(3, before.Count);
        }

        File.Delete(Path.Combine(data.Path, "recorder.db"));
        using var rebuilt = new RecordingRig(data: data);
        await rebuilt.Collector.ReconcileAsync(CancellationToken.None);

        var after = rebuilt.Index.ForCamera("cam-1");
        Assert.Equal(before.Select(s => s.Path), after.Select(s => s.Path));
        Assert.Equal(before.Select(s => s.Bytes), after.Select(s => s.Bytes));
        // Names carry the start to the millisecond; the end is the start plus the probed duration.
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Start, after[i].Start, TimeSpan.FromMilliseconds(1));
            Assert.Equal(before[i].End, after[i].End, TimeSpan.FromMilliseconds(2));
        }
    }

    [Fact]
    public async Task IndexEntryWhoseFileWasDeleted_IsDroppedAtReconcile()
    {
        using var rig = new RecordingRig();
        await WriteSessionAsync(rig, Session1, count: 2);
        await rig.Collector.CollectAsync(CancellationToken.None);
        var gone = rig.Index.ForCamera("cam-1")[0];
        File.Delete(Path.Combine(rig.Sessions.Root, gone.Path));

        await rig.Collector.ReconcileAsync(CancellationToken.None);

        Assert.DoesNotContain(rig.Index.All(), s => s.Path == gone.Path);
        Assert.Single(rig.Index.All());
    }

    [Fact]
    public async Task TwoSessionsApart_SecondStartsAfterAHole_StoresARecorderDownGap()
    {
        using var rig = new RecordingRig();
        await WriteSessionAsync(rig, Session1, count: 2);
        await WriteSessionAsync(rig, Session1.AddMinutes(5), count: 1);

        await rig.Collector.CollectAsync(CancellationToken.None);

        var segments = rig.Index.ForCamera("cam-1");
        Assert.Equal(3, segments.Count);
        // Within one session the stream clock chains the segments without a hole.
        Assert.Equal(segments[0].End, segments[1].Start, TimeSpan.FromMilliseconds(150));
        var gap = Assert.Single(rig.Index.Gaps("cam-1"));
        Assert.Equal((segments[1].End, Session1.AddMinutes(5)), (gap.From, gap.To));
        Assert.Equal("recorder was not running", gap.Cause);
        Assert.Single(rig.Sink.OfType<RecordingGap>());
    }

    [Fact]
    public async Task ClockJumpedBack_BothSessionsAreKeptAndNoNegativeGapIsStored()
    {
        using var rig = new RecordingRig();
        await WriteSessionAsync(rig, Session1, count: 2);
        // The next session's clock says it started before the first one ended.
        await WriteSessionAsync(rig, Session1.AddSeconds(1), count: 1);

        await rig.Collector.CollectAsync(CancellationToken.None);

        Assert.Equal(3, rig.Index.ForCamera("cam-1").Count);
        Assert.Empty(rig.Index.Gaps("cam-1"));
        Assert.All(rig.Index.All(), s => Assert.True(File.Exists(Path.Combine(rig.Sessions.Root, s.Path))));
    }

    /// <summary>Writes what one ffmpeg session would leave in the incoming folder: consecutive 2 s MPEG-TS segments.</summary>
    private static async Task WriteSessionAsync(RecordingRig rig, DateTimeOffset sessionStart, int count)
    {
        var pattern = SegmentPaths.IncomingPattern(rig.Sessions.Root, "cam-1", sessionStart.ToUnixTimeMilliseconds());
        Directory.CreateDirectory(Path.GetDirectoryName(pattern)!);
        await RecordingRig.Run(
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", (2 * count).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-g", "20", "-pix_fmt", "yuv420p", "-f", "segment", "-segment_time", "2", "-segment_format", "mpegts", pattern);
    }
}
