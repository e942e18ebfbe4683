using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>A real Recorder host: real ffmpeg plays a clip as the camera, occupancy events land in the real outbox.</summary>
public sealed class OccupancyHostTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>20 s of the basic clip: the clerk for 10 s, then the empty seat (looped by the capture).</summary>
    private string CutClip()
    {
        var path = _dir.Combine("counter.mp4");
        OccupancyFixture.Ffmpeg("-ss", "30", "-t", "20", "-i", OccupancyFixture.Clip("basic.mp4"), "-an", "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", path);
        return path;
    }

    [Fact]
    public async Task Recorder_ClerkLeavesTheSeat_StaffedThenVacatedAreInTheOutboxWithSnapshots()
    {
        var clip = CutClip();
        using var host = RecorderServices.Build(
            [
                "--Site:Id=hall", "--Site:Name=h", $"--Site:DataDirectory={_dir.Combine("data")}",
                $"--Uplink:ConsoleUrl=http://127.0.0.1:{Loopback.FreePort()}", "--Uplink:SiteKey=k",
                "--Capture:Cameras:0:Id=cam-1", "--Capture:Cameras:0:Name=c", $"--Capture:Cameras:0:Url={clip}",
                "--Capture:Cameras:0:Windows:0:Id=w01", "--Capture:Cameras:0:Windows:0:Name=1",
                "--Capture:Cameras:0:Windows:0:Seat:0:0=0.40", "--Capture:Cameras:0:Windows:0:Seat:0:1=0.36",
                "--Capture:Cameras:0:Windows:0:Seat:1:0=0.62", "--Capture:Cameras:0:Windows:0:Seat:1:1=0.36",
                "--Capture:Cameras:0:Windows:0:Seat:2:0=0.62", "--Capture:Cameras:0:Windows:0:Seat:2:1=0.83",
                "--Capture:Cameras:0:Windows:0:Seat:3:0=0.40", "--Capture:Cameras:0:Windows:0:Seat:3:1=0.83",
                "--Capture:Cameras:0:Windows:0:EntryDebounce=00:00:01", "--Capture:Cameras:0:Windows:0:ExitDebounce=00:00:03",
                "--Capture:Cameras:0:Windows:0:LeaveThreshold=00:10:00",
                $"--Occupancy:ModelPath={OccupancyFixture.ModelPath}",
            ],
            builder => builder.Logging.ClearProviders());
        await host.StartAsync();
        try
        {
            var outbox = host.Services.GetRequiredService<Outbox>();
            IReadOnlyList<EventRecorded> WindowEvents() => [.. outbox.Peek(1000, 64 << 20).Where(e => e.Event is WindowStaffed or WindowVacated)];

            await Eventually.True(() => WindowEvents().Any(e => e.Event is WindowVacated), TimeSpan.FromSeconds(90), "WindowVacated in the outbox");

            var events = WindowEvents();
            var staffed = Assert.IsType<WindowStaffed>(events[0].Event);
            var vacated = Assert.IsType<WindowVacated>(events.First(e => e.Event is WindowVacated).Event);
            Assert.Equal("w01", vacated.WindowId);
            // Video time: the clerk is on screen for the first 10 s of the clip.
            Assert.InRange((vacated.AwaySince!.Value - staffed.ArrivedAt!.Value).TotalSeconds, 8, 13);
            Assert.All(events, e =>
            {
                using var jpeg = Cv2.ImDecode(e.SnapshotJpeg!, ImreadModes.Color);
                Assert.Equal(640, jpeg.Width);
            });
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
