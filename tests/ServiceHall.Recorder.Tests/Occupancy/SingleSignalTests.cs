using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>A Recorder without the second signal's model files falls back to segmentation alone, and says so.</summary>
public sealed class SingleSignalTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A dog on the chair for a minute, one frame a second, through the Recorder's occupancy service.</summary>
    private async Task<(bool SingleSignal, List<SiteEvent> Events, LogCollector Log)> DogForAMinute(OccupancyOptions options)
    {
        using var dog = OccupancyFixture.Frame("animal-dog.mp4", 80);
        using var db = new RecorderDatabase(Options.Create(new SiteOptions { DataDirectory = _dir.Combine(Guid.NewGuid().ToString("N")) }));
        var sink = new RecordingSink();
        using var log = new LogCollector();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var capture = new CaptureOptions
        {
            Cameras = [new CameraOptions { Id = "cam-1", Name = "c", Url = "/dev/null", Windows = [new WindowOptions { Id = "w01", Seat = OccupancyFixture.Seat }] }],
        };
        using var service = new OccupancyService(
            Options.Create(options), Options.Create(capture), new AttendanceLedger(db), sink, new FakeTimeProvider(T0), factory.CreateLogger<OccupancyService>());

        var frame = OccupancyFixture.ToFrame(dog, T0);
        for (var s = 0; s < 60; s++)
        {
            await service.OnFrameAsync(frame with { Timestamp = T0.AddSeconds(s) }, CancellationToken.None);
        }

        return (service.SingleSignal, [.. sink.Published.Select(p => p.Event)], log);
    }

    [Fact]
    public async Task OccupancyService_WithoutTheSecondSignalsModels_SaysSingleSignal_AndADogCountsAsAClerk()
    {
        var (singleSignal, events, log) = await DogForAMinute(OccupancyFixture.SingleSignalOptions());

        Assert.True(singleSignal);
        Assert.Equal(1, log.Count("judging seats by segmentation alone (single signal)"));
        Assert.IsType<WindowStaffed>(Assert.Single(events));
    }

    [Fact]
    public async Task OccupancyService_WithBothSignals_ADogIsNoClerk()
    {
        var (singleSignal, events, log) = await DogForAMinute(OccupancyFixture.Options());

        Assert.False(singleSignal);
        Assert.Equal(0, log.Count("single signal"));
        // The window goes from Unknown to Away: nobody is there.
        Assert.IsType<WindowVacated>(Assert.Single(events));
    }
}
