using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenCvSharp;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Transport;
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
        var occupancyOptions = Options.Create(OccupancyFixture.Options());
        var occupancy = new OccupancyService(occupancyOptions, capture, new AttendanceLedger(db), sink, clock, NullLogger<OccupancyService>.Instance, new SeatOverrides(db, clock));
        var uplink = Options.Create(new UplinkOptions { ConsoleUrl = new Uri($"http://127.0.0.1:{Loopback.FreePort()}"), SiteKey = "k" });
        var trigger = new ReportTrigger();
        var link = new ConsoleLink(uplink, site, trigger, TlsTrust.System, clock, NullLogger<ConsoleLink>.Instance);
        var sync = new SeatSync(link, new SeatOverrides(db, clock), occupancy, occupancyOptions, clock, NullLogger<SeatSync>.Instance);
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
        Assert.Equal(("Asia/Shanghai", 2), (again.Report().Schedule!.TimeZone, again.Report().Schedule!.Hours.Count));
        Assert.True(SeatPolygon.SameAs(EmptyCorner, reported.Seat));
        Assert.Equal(("一号窗口", "社保"), (reported.Name, Assert.Single(reported.Departments)));
    }
}

/// <summary>A real Recorder host and a real Console: the seat an admin saves reaches the Recorder, is applied and outlives a restart.</summary>
public sealed class SeatChangeHostTests : IDisposable
{
    private static readonly List<double[]> Moved = [[0.35, 0.3], [0.65, 0.3], [0.65, 0.9], [0.35, 0.9]];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private IHost Recorder(ConsoleServer console, string key) => RecorderServices.Build(
        [
            "--Site:Id=hall-a", "--Site:Name=h", $"--Site:DataDirectory={_dir.Path}",
            $"--Uplink:ConsoleUrl={console.BaseAddress}", $"--Uplink:SiteKey={key}", $"--Uplink:CaCertificate={TestTls.CaPath}",
            "--Uplink:RetryInitialDelay=00:00:00.200", "--Uplink:RetryMaxDelay=00:00:01",
            // Nobody answers there: seats need no frames, and the test costs no decoding.
            "--Capture:Cameras:0:Id=cam-1", "--Capture:Cameras:0:Name=c", $"--Capture:Cameras:0:Url=rtsp://127.0.0.1:{Loopback.FreePort()}/none",
            "--Capture:Cameras:0:Windows:0:Id=w01", "--Capture:Cameras:0:Windows:0:Name=一号窗口", "--Capture:Cameras:0:Windows:0:Departments:0=社保",
            "--Capture:Cameras:0:Windows:0:Seat:0:0=0.40", "--Capture:Cameras:0:Windows:0:Seat:0:1=0.36",
            "--Capture:Cameras:0:Windows:0:Seat:1:0=0.62", "--Capture:Cameras:0:Windows:0:Seat:1:1=0.36",
            "--Capture:Cameras:0:Windows:0:Seat:2:0=0.62", "--Capture:Cameras:0:Windows:0:Seat:2:1=0.83",
            $"--Occupancy:ModelPath={OccupancyFixture.ModelPath}",
        ],
        builder => builder.Logging.ClearProviders());

    private static async Task<SiteSeatsChanged> SeatsAsync(SignedInClient admin) =>
        (await admin.Http.GetFromJsonAsync<SiteSeatsChanged>("/api/sites/hall-a/seats", WireJson.Options))!;

    /// <summary>Polls the Console's view of the site until <paramref name="done"/> holds.</summary>
    private static async Task<SiteSeatsChanged> SeatsWhenAsync(SignedInClient admin, Func<SiteSeatsChanged, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var seats = await SeatsAsync(admin);
            if (done(seats))
            {
                return seats;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out after 30 s waiting for {what}");
    }

    [Fact]
    public async Task AdminSavesASeat_TheRecorderAppliesItWithoutARestart_AndStillUsesItAfterOne()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-a", "甲", "d1");
        using var admin = await console.SignedInClientAsync();
        using (var host = Recorder(console, key))
        {
            await host.StartAsync();
            var first = await SeatsWhenAsync(admin, s => s.Windows.Count == 1, "the Recorder reports its window");
            Assert.Equal(3, first.Windows[0].Seat.Count);
            Assert.Equal("社保", Assert.Single(first.Windows[0].Departments));

            var put = await admin.Http.PutAsJsonAsync("/api/sites/hall-a/cameras/cam-1/windows/w01/seat", new { seat = Moved });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, put.StatusCode);

            var applied = await SeatsWhenAsync(admin, s => s.Changes.Single().State == SeatChangeStates.Applied, "the change is applied");
            var inUse = host.Services.GetRequiredService<OccupancyService>().Windows[0].Window.Seat;
            Assert.True(SeatPolygon.SameAs(Moved, inUse));
            // The seat in use is occupancy's own; the options as bound stay what the settings say.
            Assert.Equal(3, host.Services.GetRequiredService<IOptions<CaptureOptions>>().Value.Cameras[0].Windows[0].Seat.Count);
            Assert.True(SeatPolygon.SameAs(Moved, (await SeatsWhenAsync(admin, s => s.ReportedAt > applied.Changes[0].AnsweredAt, "the report after the change")).Windows[0].Seat));
            await host.StopAsync();
        }

        // Restarted with the same settings (three points): the stored seat wins and is what it reports.
        var stoppedAt = DateTimeOffset.UtcNow;
        using var again = Recorder(console, key);
        await again.StartAsync();
        var restarted = await SeatsWhenAsync(admin, s => s.ReportedAt > stoppedAt, "the restarted Recorder's report");
        Assert.True(SeatPolygon.SameAs(Moved, restarted.Windows[0].Seat));
        await again.StopAsync();
    }

    [Fact]
    public async Task SeatSavedWhileTheRecorderIsDown_IsAppliedWhenItComesBack()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-a", "甲", "d1");
        using var admin = await console.SignedInClientAsync();
        using (var host = Recorder(console, key))
        {
            await host.StartAsync();
            await SeatsWhenAsync(admin, s => s.Windows.Count == 1, "the Recorder reports its window");
            await host.StopAsync();
        }

        var put = await admin.Http.PutAsJsonAsync("/api/sites/hall-a/cameras/cam-1/windows/w01/seat", new { seat = Moved });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, put.StatusCode);
        Assert.Equal(SeatChangeStates.Pending, (await SeatsAsync(admin)).Changes.Single().State);

        using var back = Recorder(console, key);
        await back.StartAsync();
        var applied = await SeatsWhenAsync(admin, s => s.Changes.Single().State == SeatChangeStates.Applied, "the change applied after the Recorder came back");
        Assert.True(SeatPolygon.SameAs(Moved, back.Services.GetRequiredService<OccupancyService>().Windows[0].Window.Seat));
        Assert.Null(applied.Changes[0].Reason);
        await back.StopAsync();
    }
}
