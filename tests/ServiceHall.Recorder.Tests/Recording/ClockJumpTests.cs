using Microsoft.Extensions.Time.Testing;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>The wall clock jumps between capture sessions: the index gets no overlap, no negative length, and loses nothing.</summary>
public sealed class ClockJumpTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    [Fact]
    public void Place_ClockBehindTheLatestSegment_StartsRightAfterItAndSaysByHowMuch()
    {
        var placement = SegmentTiming.Place(T0.AddHours(-1), T0, null, "camera lost: x", Tolerance);

        Assert.Equal(new SegmentPlacement(T0, null, TimeSpan.FromHours(1)), placement);
    }

    [Fact]
    public void Place_ClockJumpedForward_StoresTheHoleWithTheJumpAsItsCause()
    {
        var placement = SegmentTiming.Place(T0.AddHours(1), T0, TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1), "camera lost: x", Tolerance);

        Assert.Equal(new SegmentPlacement(T0.AddHours(1), "wall clock jumped forward 3599 s", null), placement);
    }

    [Fact]
    public void Place_RealHoleOrJitter_KeepsTheWallClock()
    {
        Assert.Equal(new SegmentPlacement(T0.AddMinutes(5), "camera lost: x", null), SegmentTiming.Place(T0.AddMinutes(5), T0, TimeSpan.Zero, "camera lost: x", Tolerance));
        Assert.Equal(new SegmentPlacement(T0.AddMinutes(5), "recorder was not running", null), SegmentTiming.Place(T0.AddMinutes(5), T0, null, null, Tolerance));
        Assert.Equal(new SegmentPlacement(T0.AddSeconds(1), null, null), SegmentTiming.Place(T0.AddSeconds(1), T0, null, null, Tolerance));
        Assert.Equal(new SegmentPlacement(T0, null, null), SegmentTiming.Place(T0.AddSeconds(-1), T0, null, null, Tolerance));
        Assert.Equal(new SegmentPlacement(T0, null, null), SegmentTiming.Place(T0, null, null, null, Tolerance));
    }

    [Fact]
    public async Task ClockJumpsBackThenForward_BetweenSessions_IndexStaysOrderedAndEveryFileIsKept()
    {
        using var source = new TempDirectory();
        await RecordingRig.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "6", "-c:v", "libx264", "-g", "10",
            "-f", "segment", "-segment_time", "2", "-segment_format", "mpegts", Path.Combine(source.Path, "%d.ts"));
        var clock = new SkewedClock(new FakeTimeProvider(T0));
        using var rig = new RecordingRig(clock);

        await RecordSessionAsync(rig, clock, Path.Combine(source.Path, "0.ts"));
        clock.Fake.Advance(TimeSpan.FromSeconds(10));
        clock.Skew = TimeSpan.FromHours(-1);
        await RecordSessionAsync(rig, clock, Path.Combine(source.Path, "1.ts"));
        clock.Fake.Advance(TimeSpan.FromSeconds(10));
        clock.Skew = TimeSpan.FromHours(1);
        await RecordSessionAsync(rig, clock, Path.Combine(source.Path, "2.ts"));

        var segments = rig.Index.ForCamera("cam-1");
        Assert.Equal(3, segments.Count);
        Assert.All(segments, s => Assert.True(s.End > s.Start, s.Path));
        Assert.All(segments.Zip(segments.Skip(1)), p => Assert.True(p.Second.Start >= p.First.End, $"{p.Second.Path} overlaps {p.First.Path}"));
        Assert.Equal(segments[0].End, segments[1].Start);
        var gap = Assert.Single(rig.Sink.OfType<RecordingGap>());
        Assert.Equal((segments[1].End, segments[2].Start), (gap.From, gap.To));
        Assert.StartsWith("wall clock jumped forward 72", gap.Cause, StringComparison.Ordinal);

        // The names carry the corrected starts: an index rebuilt from the disk alone is the same.
        foreach (var s in segments)
        {
            rig.Index.Remove(s.Path);
        }

        await rig.Collector.ReconcileAsync(CancellationToken.None);
        Assert.Equal(segments.Select(s => (s.Path, s.Start)), rig.Index.ForCamera("cam-1").Select(s => (s.Path, s.Start)));
    }

    [Fact]
    public async Task SegmentsFinishedBeforeTheFirstFrame_WaitForItsAnchor_InsteadOfTakingTheSessionsStart()
    {
        using var source = new TempDirectory();
        await RecordingRig.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "6", "-c:v", "libx264", "-g", "10",
            "-f", "segment", "-segment_time", "2", "-segment_format", "mpegts", Path.Combine(source.Path, "%d.ts"));
        var time = new FakeTimeProvider(T0);
        using var rig = new RecordingRig(time);
        var session = rig.Sessions.Begin("cam-1");
        for (var i = 0; i < 3; i++)
        {
            File.Copy(Path.Combine(source.Path, $"{i}.ts"), session.Pattern.Replace("%06d", i.ToString("000000", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        // Probing and opening the stream took 8 s; two segments are finished before the first analysis frame.
        time.Advance(TimeSpan.FromSeconds(8));
        await rig.Collector.CollectAsync(CancellationToken.None);
        Assert.Empty(rig.Index.ForCamera("cam-1"));

        var firstFrameAt = time.GetUtcNow();
        rig.Sessions.MarkFirstFrame(session, firstFrameAt);
        await rig.Collector.CollectAsync(CancellationToken.None);

        var segments = rig.Index.ForCamera("cam-1");
        Assert.Equal(2, segments.Count);
        Assert.Equal(firstFrameAt, segments[0].Start);
        Assert.Equal(segments[0].End, segments[1].Start);

        // A session that ends without a frame is placed by its start rather than kept back for ever.
        var silent = rig.Sessions.Begin("cam-2");
        File.Copy(Path.Combine(source.Path, "0.ts"), silent.Pattern.Replace("%06d", "000000", StringComparison.Ordinal));
        rig.Sessions.End(silent, "camera lost: no frame");
        await rig.Collector.CollectAsync(CancellationToken.None);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(silent.Id), Assert.Single(rig.Index.ForCamera("cam-2")).Start);
    }

    /// <summary>One capture session that wrote one segment: its first frame now, its file finished, then collected.</summary>
    private static async Task RecordSessionAsync(RecordingRig rig, TimeProvider clock, string segment)
    {
        var session = rig.Sessions.Begin("cam-1");
        rig.Sessions.MarkFirstFrame(session, clock.GetUtcNow());
        File.Copy(segment, session.Pattern.Replace("%06d", "000000", StringComparison.Ordinal));
        rig.Sessions.End(session, null);
        await rig.Collector.CollectAsync(CancellationToken.None);
    }

    /// <summary>A fake clock whose wall time can jump while its monotonic time runs on.</summary>
    private sealed class SkewedClock(FakeTimeProvider fake) : TimeProvider
    {
        public FakeTimeProvider Fake { get; } = fake;

        public TimeSpan Skew { get; set; }

        public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow() + Skew;

        public override long GetTimestamp() => Fake.GetTimestamp();

        public override long TimestampFrequency => Fake.TimestampFrequency;
    }
}
