using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>What the heartbeat says of each camera: skipped analysis frames count for a minute, then are forgotten.</summary>
public sealed class CameraStatesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero));
    [Fact]
    public async Task SkippedFrames_CountForAMinute_AndTheFirstOneTriggersAReport()
    {
        using var trigger = new ReportTrigger();
        var states = new CameraStates(Options.Create(new CaptureOptions { Cameras = [new CameraOptions { Id = "cam-1", Name = "一号", Url = "rtsp://127.0.0.1/x" }, new CameraOptions { Id = "cam-2", Name = "二号", Url = "rtsp://127.0.0.1/y" }] }), trigger, _time);
        Assert.All(states.Report(), c => Assert.Equal(0, c.SkippedFramesLastMinute));

        states.FrameSkipped("cam-1");
        Assert.True(await trigger.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None), "the first skip asks for a report");
        _time.Advance(TimeSpan.FromSeconds(30));
        states.FrameSkipped("cam-1");
        states.FrameSkipped("cam-1");
        Assert.False(await trigger.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None), "later skips ride on the next heartbeat");

        Assert.Equal([3, 0], states.Report().Select(c => c.SkippedFramesLastMinute));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, states.Report()[0].SkippedFramesLastMinute);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, states.Report()[0].SkippedFramesLastMinute);

        // Skipping again after a quiet minute is news again.
        states.FrameSkipped("cam-1");
        Assert.True(await trigger.WaitAsync(TimeSpan.Zero, _time, CancellationToken.None));
    }
}
