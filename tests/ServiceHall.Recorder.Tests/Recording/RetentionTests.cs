using Microsoft.Extensions.Time.Testing;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>Retention over real files and the real LiteDB index, on a fake clock.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Retention_OverQuota_RemovesOldestFirstAndNeverAHeldSegment()
    {
        var clock = new FakeTimeProvider(Now);
        using var rig = new RecordingRig(clock, o => o.MaxDiskBytes = 6_000);
        // Ten one-minute segments of 1000 bytes: 10:00 is the oldest; minutes 1 and 2 are on hold.
        var segments = Enumerable.Range(0, 10).Select(i => AddSegment(rig, Now.AddHours(-2).AddMinutes(i), 1000)).ToList();
        rig.Index.AddHold(Guid.NewGuid().ToString("N"), "cam-1", Now.AddHours(-2).AddMinutes(1).AddSeconds(10), Now.AddHours(-2).AddMinutes(2).AddSeconds(30), "complaint 42", "supervisor", Now);

        var plan = await rig.Get<RetentionService>().RunOnceAsync(CancellationToken.None);

        // 10 000 bytes against 6 000: four unheld go, oldest first (0, 3, 4, 5), skipping the held 1 and 2.
        Assert.Equal([segments[0], segments[3], segments[4], segments[5]], plan.Delete.Select(s => s.Path));
        Assert.All(plan.Delete, s => Assert.False(File.Exists(Path.Combine(rig.Sessions.Root, s.Path))));
        Assert.True(File.Exists(Path.Combine(rig.Sessions.Root, segments[1])));
        Assert.True(File.Exists(Path.Combine(rig.Sessions.Root, segments[2])));
        Assert.Equal(segments.Except(plan.Delete.Select(s => s.Path)).Order(), rig.Index.All().Select(s => s.Path).Order());
        Assert.Empty(rig.Sink.OfType<DiskLow>());
    }

    [Fact]
    public async Task Retention_PastRetentionDays_DeletesOnlyExpiredUnheld()
    {
        var clock = new FakeTimeProvider(Now);
        using var rig = new RecordingRig(clock, o => o.RetentionDays = 30);
        var old = AddSegment(rig, Now.AddDays(-31), 100);
        var oldHeld = AddSegment(rig, Now.AddDays(-40), 100);
        var young = AddSegment(rig, Now.AddDays(-29), 100);
        rig.Index.AddHold(Guid.NewGuid().ToString("N"), "cam-1", Now.AddDays(-40), Now.AddDays(-40).AddMinutes(1), "case", "admin", Now);

        var plan = await rig.Get<RetentionService>().RunOnceAsync(CancellationToken.None);

        Assert.Equal([old], plan.Delete.Select(s => s.Path));
        Assert.Equal(new[] { oldHeld, young }.Order(), rig.Index.All().Select(s => s.Path).Order());
    }

    [Fact]
    public async Task Retention_HeldSegmentsAloneExceedQuota_RaisesDiskLowOnceAndDeletesNothingHeld()
    {
        var clock = new FakeTimeProvider(Now);
        using var rig = new RecordingRig(clock, o => o.MaxDiskBytes = 1_500);
        AddSegment(rig, Now.AddMinutes(-3), 1000);
        AddSegment(rig, Now.AddMinutes(-2), 1000);
        rig.Index.AddHold(Guid.NewGuid().ToString("N"), "cam-1", Now.AddMinutes(-10), Now, "case", "admin", Now);
        var retention = rig.Get<RetentionService>();

        var plan = await retention.RunOnceAsync(CancellationToken.None);
        await retention.RunOnceAsync(CancellationToken.None);

        Assert.Empty(plan.Delete);
        Assert.Equal(2, rig.Index.All().Count);
        var alert = Assert.Single(rig.Sink.OfType<DiskLow>());
        Assert.Equal(2000, alert.HeldBytes);
        Assert.Equal("cam-1", alert.CameraId);
        Assert.Contains("Recording:MaxDiskBytes", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_FreeSpaceBelowFloor_DeletesOldestUntilTheFloorIsMet()
    {
        var options = new RecordingOptions { MinFreeDiskBytes = 2_500 };
        var segments = Enumerable.Range(0, 5).Select(i => Segment(Now.AddMinutes(i), 1000)).ToList();

        var plan = RetentionPlanner.Plan(segments, [], Now.AddMinutes(10), options, freeBytes: 500);

        Assert.Equal(segments.Take(2), plan.Delete);
        Assert.Null(plan.Shortfall);
    }

    [Fact]
    public async Task Retention_DeletesClipsOnlyAfterTheyWereUploadedLongerThanClipKeep_AndCountsTheRestInTheQuota()
    {
        var clock = new FakeTimeProvider(Now);
        using var rig = new RecordingRig(clock, o => (o.MaxDiskBytes, o.ClipKeep) = (3_500, TimeSpan.FromDays(7)));
        var clips = rig.Get<ClipFolder>();
        var segments = Enumerable.Range(0, 3).Select(i => AddSegment(rig, Now.AddHours(-1).AddMinutes(i), 1000)).ToList();
        string[] ids = ["delivered-long-ago", "delivered-yesterday", "never-delivered"];
        foreach (var id in ids)
        {
            Directory.CreateDirectory(clips.Directory);
            File.WriteAllBytes(Path.Combine(clips.Directory, id + ".mp4"), new byte[400]);
            File.WriteAllText(Path.Combine(clips.Directory, id + ".json"), "{}");
        }

        clips.MarkUploaded(ids[0], Now.AddDays(-8));
        clips.MarkUploaded(ids[1], Now.AddDays(-1));

        var plan = await rig.Get<RetentionService>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(
            ["delivered-yesterday.json", "delivered-yesterday.mp4", "delivered-yesterday.uploaded", "never-delivered.json", "never-delivered.mp4"],
            Directory.EnumerateFiles(clips.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // 3 000 bytes of segments and about 850 of clips against 3 500: the oldest segment goes for the clips kept.
        Assert.Equal([segments[0]], plan.Delete.Select(s => s.Path));
        Assert.Equal(clips.Bytes() + 2000, plan.RecordingBytesAfter);
    }

    private static SegmentRecord Segment(DateTimeOffset start, long bytes) => new()
    {
        Path = $"cam-1/{start.UtcTicks}.ts",
        CameraId = "cam-1",
        StartTicks = start.UtcTicks,
        EndTicks = start.AddMinutes(1).UtcTicks,
        Bytes = bytes,
    };

    private static string AddSegment(RecordingRig rig, DateTimeOffset start, int bytes)
    {
        var relative = SegmentPaths.FinalRelativePath("cam-1", start);
        var full = Path.Combine(rig.Sessions.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new byte[bytes]);
        rig.Index.Upsert(new SegmentRecord { Path = relative, CameraId = "cam-1", StartTicks = start.UtcTicks, EndTicks = start.AddMinutes(1).UtcTicks, Bytes = bytes });
        return relative;
    }
}
