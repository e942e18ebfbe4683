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

/// <summary>A seat moved at the Console: checked, persisted over the settings file, and used by the analyser at once.</summary>
public sealed class SeatChangeTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    // The wall above the clerk's head in the basic clip: nobody is ever there.
    private static readonly List<double[]> EmptyCorner = [[0.02, 0.02], [0.2, 0.02], [0.2, 0.2], [0.02, 0.2]];

    private readonly TempDirectory _dir = new();
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        Stop();
        _dir.Dispose();
    }

    /// <summary>Closes what <see cref="Start"/> opened, as a Recorder process ending would; the data folder stays.</summary>
    private void Stop()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        _owned.Clear();
    }

    /// <summary>The settings file's view: one camera, one window on the clerk's seat.</summary>
    private static CaptureOptions Settings() => new()
    {
        Cameras = [new CameraOptions { Id = "cam-1", Name = "c", Url = "/dev/null", Windows = [new WindowOptions { Id = "w01", Name = "一号窗口", Departments = ["社保"], Seat = [.. OccupancyFixture.Seat] }] }],
    };

    /// <summary>A Recorder's occupancy and seat parts over one LiteDB file, as after a (re)start.</summary>
    private (OccupancyService Occupancy, SeatSync Sync, RecorderDatabase Db) Start(RecordingSink sink, FakeTimeProvider clock)
    {
        var site = Options.Create(new SiteOptions { Id = "hall", Name = "h", DataDirectory = _dir.Path });
        var db = new RecorderDatabase(site);
        var capture = Options.Create(Settings());
        var occupancy = new OccupancyService(Options.Create(OccupancyFixture.Options()), capture, new AttendanceLedger(db), sink, clock, NullLogger<OccupancyService>.Instance, new SeatOverrides(db, clock));
        var uplink = Options.Create(new UplinkOptions { ConsoleUrl = new Uri($"http://127.0.0.1:{Loopback.FreePort()}"), SiteKey = "k" });
        var trigger = new ReportTrigger();
        var link = new ConsoleLink(uplink, site, trigger, clock, NullLogger<ConsoleLink>.Instance);
        var sync = new SeatSync(link, new SeatOverrides(db, clock), occupancy, capture, clock, NullLogger<SeatSync>.Instance);
        _owned.AddRange([db, trigger, link, occupancy, sync]);
        return (occupancy, sync, db);
    }

    [Theory]
    [InlineData("cam-1", "w01", "[[0.1,0.1],[0.4,0.5],[0.4,0.1],[0.1,0.5]]", "cross")]
    [InlineData("cam-1", "w01", "[[0.1,0.1],[0.4,0.1]]", "at least 3 points")]
    [InlineData("cam-1", "w09", "[[0.1,0.1],[0.4,0.1],[0.4,0.5]]", "no window 'w09' on camera 'cam-1'")]
    [InlineData("cam-2", "w01", "[[0.1,0.1],[0.4,0.1],[0.4,0.5]]", "no window 'w01' on camera 'cam-2'")]
    public void Apply_BadPolygonOrUnknownWindow_IsRefusedWithTheReason_AndNothingChanges(string camera, string window, string seatJson, string reason)
    {
        var (_, sync, db) = Start(new RecordingSink(), new FakeTimeProvider(T0));
        var seat = System.Text.Json.JsonSerializer.Deserialize<List<double[]>>(seatJson)!;

        var answer = sync.Apply(new SeatChangeRequested("c1", camera, window, seat, "admin"));

        Assert.False(answer.Applied);
        Assert.Contains(reason, answer.Reason, StringComparison.Ordinal);
        Assert.Empty(new SeatOverrides(db, TimeProvider.System).All());
        Assert.True(SeatPolygon.SameAs(OccupancyFixture.Seat, sync.Report().Windows[0].Seat));
    }

    [Fact]
    public async Task Apply_SeatMovedOffTheClerk_TheRunningAnalyserSeesAnEmptySeat_AndTheSeatSurvivesARestart()
    {
        using var present = OccupancyFixture.Frame("basic.mp4", 10);
        var sink = new RecordingSink();
        var clock = new FakeTimeProvider(T0);
        var (occupancy, sync, _) = Start(sink, clock);
        var frame = OccupancyFixture.ToFrame(present, T0);
        var second = 0;
        async Task Feed(int seconds)
        {
            for (var i = 0; i < seconds; i++, second++)
            {
                await occupancy.OnFrameAsync(frame with { Timestamp = T0.AddSeconds(second) }, CancellationToken.None);
            }
        }

        await Feed(10);
        Assert.IsType<WindowStaffed>(Assert.Single(sink.Published).Event);

        var answer = sync.Apply(new SeatChangeRequested("c1", "cam-1", "w01", EmptyCorner, "admin"));
        Assert.True(answer.Applied, answer.Reason);
        Assert.Equal(new SeatChangeApplied("c1", "cam-1", "w01", true, null), answer);

        // The clerk has not moved, but the seat has: after the exit debounce (20 s) the window is vacated, without a restart.
        await Feed(30);
        var vacated = Assert.IsType<WindowVacated>(sink.Published.Last().Event);
        Assert.Equal(T0.AddSeconds(10), vacated.AwaySince);
        Assert.Equal(2, sink.Published.Count);

        // A restart reads the settings file again, and the stored seat overrides it.
        Stop();
        var (_, again, _) = Start(new RecordingSink(), clock);
        var reported = Assert.Single(again.Report().Windows);
        Assert.True(SeatPolygon.SameAs(EmptyCorner, reported.Seat));
        Assert.Equal(("一号窗口", "社保"), (reported.Name, Assert.Single(reported.Departments)));
    }
}
