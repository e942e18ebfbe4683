using ServiceHall.Recorder.Recording;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>Faults under a running recording: the Recorder reports them and keeps recording what it can.</summary>
public sealed class RecordingFaultTests
{
    [Fact]
    public async Task SegmentFolderDeletedUnderneath_RecordingResumesIntoANewFolder()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await rig.Collector.StartAsync(cts.Token);
        var run = rig.Capture("cam-1", camera.Url("cam")).RunAsync(cts.Token);
        await Eventually.True(() => rig.Index.ForCamera("cam-1").Count >= 1, TimeSpan.FromSeconds(30), "a first segment");

        Directory.Delete(SegmentPaths.IncomingDirectory(rig.Sessions.Root, "cam-1"), recursive: true);
        var deletedAt = DateTimeOffset.UtcNow;
        await Eventually.True(
            () => rig.Index.ForCamera("cam-1").Count(s => s.Start > deletedAt) >= 2,
            TimeSpan.FromSeconds(45),
            "segments recorded after the folder was deleted");
        await cts.CancelAsync();
        await run;
        await rig.Collector.StopAsync(CancellationToken.None);

        Assert.True(run.IsCompletedSuccessfully);
        // Only the recording stopped: the camera's frames never did.
        Assert.Empty(rig.Sink.OfType<ServiceHall.Shared.Contracts.CameraLost>());
        Assert.Contains(rig.Sink.OfType<ServiceHall.Shared.Contracts.RecordingGap>(), g => g.Cause.StartsWith("recording failed: ", StringComparison.Ordinal));
        Assert.All(rig.Index.ForCamera("cam-1"), s => Assert.True(File.Exists(Path.Combine(rig.Sessions.Root, s.Path)), s.Path));
    }

    [Fact]
    public async Task WrongRtspUrl_ReportsCameraLostWithTheReasonAndRecordsNothing()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = rig.Capture("cam-1", camera.Url("no-such-mount")).RunAsync(cts.Token);

        var lost = await Eventually.Until(() => rig.Sink.OfType<ServiceHall.Shared.Contracts.CameraLost>() is [var l, ..] ? l : null, TimeSpan.FromSeconds(30), "CameraLost");
        await cts.CancelAsync();
        await run;

        Assert.Contains("cannot open stream", lost.Reason, StringComparison.Ordinal);
        Assert.Single(rig.Sink.Events);
        Assert.Empty(rig.Index.All());
    }
}
