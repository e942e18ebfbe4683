using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenCvSharp;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The Recorder's occupancy consumer: real frames in, events with snapshots to the sink, time to the ledger.</summary>
public sealed class OccupancyServiceTests : IDisposable
{
    // Thursday 10:00 in Shanghai: the default schedule is open.
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CaptureOptions Capture() => new()
    {
        Cameras = [new CameraOptions { Id = "cam-1", Name = "c", Url = "/dev/null", Windows = [new WindowOptions { Id = "w01", Seat = OccupancyFixture.Seat }] }],
    };

    [Fact]
    public async Task Frames_PersonLeavesAndReturns_PublishesStaffedVacatedStaffedWithSnapshots_AndFillsTheLedger()
    {
        using var present = OccupancyFixture.Frame("basic.mp4", 10);
        using var empty = OccupancyFixture.Frame("basic.mp4", 60);
        using var db = new RecorderDatabase(Options.Create(new SiteOptions { DataDirectory = _dir.Path }));
        var ledger = new AttendanceLedger(db);
        var sink = new RecordingSink();
        var clock = new FakeTimeProvider(T0);
        using var service = new OccupancyService(Options.Create(OccupancyFixture.Options()), Options.Create(Capture()), ledger, sink, clock, NullLogger<OccupancyService>.Instance);

        // 30 s present, 40 s empty, 10 s present, one frame a second of video time.
        var second = 0;
        foreach (var (mat, seconds) in new[] { (present, 30), (empty, 40), (present, 10) })
        {
            var frame = OccupancyFixture.ToFrame(mat, T0);
            for (var i = 0; i < seconds; i++, second++)
            {
                await service.OnFrameAsync(frame with { Timestamp = T0.AddSeconds(second) }, CancellationToken.None);
            }
        }

        var events = sink.Published.Select(p => p.Event).ToList();
        Assert.Collection(
            events,
            e => Assert.Equal(T0, Assert.IsType<WindowStaffed>(e).ArrivedAt),
            // The verdict is the median of three frames, so a change shows one frame late.
            e => Assert.Equal(T0.AddSeconds(31), Assert.IsType<WindowVacated>(e).AwaySince),
            e => Assert.Equal(T0.AddSeconds(71), Assert.IsType<WindowStaffed>(e).ArrivedAt));
        Assert.All(sink.Published, p =>
        {
            using var jpeg = Cv2.ImDecode(p.Snapshot!, ImreadModes.Color);
            Assert.Equal(present.Size(), jpeg.Size());
        });

        var day = ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!;
        Assert.Equal(39, day.StaffedSeconds);
        Assert.Equal(40, day.AwaySeconds);
        var absence = Assert.Single(day.Absences);
        Assert.Equal(40, absence.ScheduledSeconds);
    }

    [Fact]
    public async Task Frames_ClerkMotionlessForTheThreshold_PublishesClerkInactiveWithSnapshot_ThenClerkActive_AndBooksTheMinutes()
    {
        // head-down-still.mp4: the clerk's live video at 10 s, the same clerk slumped and frozen at 50 s.
        using var live = OccupancyFixture.Frame("head-down-still.mp4", 10);
        using var slumped = OccupancyFixture.Frame("head-down-still.mp4", 50);
        using var db = new RecorderDatabase(Options.Create(new SiteOptions { DataDirectory = _dir.Path }));
        var ledger = new AttendanceLedger(db);
        var sink = new RecordingSink();
        var capture = Capture();
        capture.Cameras[0].Windows[0].InactiveThreshold = TimeSpan.FromSeconds(60);
        using var service = new OccupancyService(Options.Create(OccupancyFixture.Options()), Options.Create(capture), ledger, sink, new FakeTimeProvider(T0), NullLogger<OccupancyService>.Instance);

        // 10 s moving (the two pictures in turn), 70 s slumped (the same picture as the last moving second), 10 s moving,
        // 70 s slumped again, then no frames for 20 s (a hole in video time) and one more slumped frame.
        foreach (var second in Enumerable.Range(0, 160).Append(180))
        {
            var moving = second < 10 || (second >= 80 && second < 90);
            var mat = moving && second % 2 == 0 ? live : slumped;
            await service.OnFrameAsync(OccupancyFixture.ToFrame(mat, T0.AddSeconds(second)), CancellationToken.None);
        }

        var published = sink.Published.Where(p => p.Event is ClerkInactive or ClerkActive).ToList();
        Assert.Collection(
            published,
            p =>
            {
                var inactive = Assert.IsType<ClerkInactive>(p.Event);
                Assert.Equal((T0.AddSeconds(9), T0.AddSeconds(69)), (inactive.InactiveSince, inactive.OccurredAt));
                using var jpeg = Cv2.ImDecode(p.Snapshot!, ImreadModes.Color);
                Assert.Equal(slumped.Size(), jpeg.Size());
            },
            p => Assert.Equal((T0.AddSeconds(9), T0.AddSeconds(80), InactivityEnd.Moved), Ended(p.Event)),
            p => Assert.Equal(T0.AddSeconds(149), Assert.IsType<ClerkInactive>(p.Event).OccurredAt),
            // The hole ends the stretch where the frames stopped: it is never inactive time.
            p => Assert.Equal((T0.AddSeconds(89), T0.AddSeconds(159), InactivityEnd.NoFrames), Ended(p.Event)));
        Assert.DoesNotContain(sink.Published, p => p.Event is WindowVacated);
        Assert.Equal(71 + 70, ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!.InactiveSeconds);

        static (DateTimeOffset, DateTimeOffset, InactivityEnd) Ended(SiteEvent e) => Assert.IsType<ClerkActive>(e) is var a ? (a.InactiveSince, a.OccurredAt, a.Reason) : default;
    }

    [Fact]
    public async Task NoFramesForTheTimeout_WindowsBecomeUnknown()
    {
        using var present = OccupancyFixture.Frame("basic.mp4", 10);
        using var db = new RecorderDatabase(Options.Create(new SiteOptions { DataDirectory = _dir.Path }));
        var sink = new RecordingSink();
        var clock = new FakeTimeProvider(T0);
        using var service = new OccupancyService(Options.Create(OccupancyFixture.Options()), Options.Create(Capture()), new AttendanceLedger(db), sink, clock, NullLogger<OccupancyService>.Instance);
        var frame = OccupancyFixture.ToFrame(present, T0);
        for (var i = 0; i < 10; i++)
        {
            await service.OnFrameAsync(frame with { Timestamp = T0.AddSeconds(i) }, CancellationToken.None);
        }

        await service.StartAsync(CancellationToken.None);
        try
        {
            // The camera goes silent; each poll moves the fake clock one second on, past the frame timeout.
            await Eventually.True(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                    return sink.Published.Any(p => p.Event is WindowUnknown);
                },
                TimeSpan.FromSeconds(20),
                "WindowUnknown after the camera went silent");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        var unknown = Assert.IsType<WindowUnknown>(sink.Published.Last().Event);
        Assert.Equal("w01", unknown.WindowId);
        Assert.StartsWith("no frames", unknown.Reason, StringComparison.Ordinal);
    }
}
