using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>A box with more cameras than it can analyse: analysis skips frames, the recording does not wait for it.</summary>
public sealed class SlowAnalysisTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnalysisFarBehind_SkipsToTheNewestFrame_WhileTheRecordingKeepsCameraSpeed()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await rig.Collector.StartAsync(cts.Token);
        // 5 analysis frames a second (every frame decoded: key frames of the 2 s GOP would be too few), each taking 1 s: the analysis can keep up with a fifth of them.
        var slow = new SlowConsumer(TimeSpan.FromSeconds(1));
        using var trigger = new ReportTrigger();
        var states = new CameraStates(Options.Create(new CaptureOptions { Cameras = [new CameraOptions { Id = "cam-1", Name = "cam-1", Url = camera.Url("cam") }] }), trigger);
        var run = rig.Capture("cam-1", camera.Url("cam"), fps: 5, analysis: slow, states: states, decoding: KeyFrameDecoding.Never).RunAsync(cts.Token);
        await Eventually.True(() => !slow.Frames.IsEmpty, TimeSpan.FromSeconds(30), "a first analysed frame");
        var startedAt = DateTimeOffset.UtcNow;
        var segmentsBefore = rig.Index.ForCamera("cam-1").Count;

        await Task.Delay(TimeSpan.FromSeconds(12));
        var analysed = slow.Frames.ToList();
        var segments = rig.Index.ForCamera("cam-1");
        var health = states.Report().Single();
        await cts.CancelAsync();
        await run;
        await rig.Collector.StopAsync(CancellationToken.None);

        var later = analysed.Where(f => f.Seen > startedAt).ToList();
        var lag = later.Count == 0 ? "-" : $"{(later[^1].Seen - later[^1].VideoTime).TotalSeconds:0.0}";
        output.WriteLine($"in 12 s: {segments.Count - segmentsBefore} segments of 2 s recorded, {later.Count} frames analysed, the last {lag} s behind its video time; heartbeat: {health.SkippedFramesLastMinute} frames skipped in the last minute");

        // The recording follows the camera: about six more 2 s segments in 12 s (waiting for this analysis, it managed
        // one in all), and no stall restarted the camera.
        Assert.Empty(rig.Sink.OfType<CameraLost>());
        // The heartbeat tells the Console: about four of every five frames were skipped.
        Assert.InRange(health.SkippedFramesLastMinute, 30, 100);
        Assert.True(segments.Count - segmentsBefore >= 4, $"{segments.Count - segmentsBefore} segments in 12 s");
        Assert.All(segments, s => Assert.InRange((s.End - s.Start).TotalSeconds, 1.5, 3));
        // The analysis saw about one frame a second, in order, skipping ahead instead of falling further behind.
        Assert.InRange(later.Count, 8, 14);
        Assert.Equal(later.Select(f => f.VideoTime).Order(), later.Select(f => f.VideoTime));
        Assert.Contains(later.Zip(later.Skip(1)), p => p.Second.VideoTime - p.First.VideoTime >= TimeSpan.FromSeconds(0.6));
        var last = later[^1];
        // At most the two seconds of waiting frames behind the camera (old frames ffmpeg buffered while opening the stream
        // may even put video time a little ahead), where waiting for the analysis fell further behind every second.
        Assert.True(last.Seen - last.VideoTime < TimeSpan.FromSeconds(4), $"frame of {last.VideoTime:O} analysed at {last.Seen:O}");
    }

    private sealed class SlowConsumer(TimeSpan delay) : IFrameConsumer
    {
        public System.Collections.Concurrent.ConcurrentQueue<(DateTimeOffset VideoTime, DateTimeOffset Seen)> Frames { get; } = new();

        public async ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
        {
            Frames.Enqueue((frame.Timestamp, DateTimeOffset.UtcNow));
            await Task.Delay(delay, cancellationToken);
        }
    }
}
