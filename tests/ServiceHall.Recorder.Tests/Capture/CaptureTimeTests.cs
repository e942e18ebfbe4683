using System.Collections.Concurrent;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Tests.Recording;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>
/// A frame's video time, which dates every event made from it, is the wall-clock moment the camera took it (issue 13
/// item 7: within 1 s, never after the frame reached the Recorder): checked against a real RTSP camera that burns its
/// capture clock into each picture (tools/rtsp-camera.py, kind <c>clock</c>), through ffmpeg's start-up burst.
/// </summary>
public sealed class CaptureTimeTests(ITestOutputHelper output)
{
    // The requirement, not a measured margin: the pipe's own delay here is about 0.1 s.
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// ffmpeg 5.1 holds each analysis frame a while (the fps filter half an interval, the output one frame in some
    /// sessions, a whole GOP in key-frame mode), and no arrival shows it: each frame is dated by its own stream time
    /// (FrameStamps), anchored on when the stream's packets came (VideoClock).
    /// </summary>
    [Theory]
    [InlineData(20, KeyFrameDecoding.Always, 8, "key frames only, 2 s GOP")]
    [InlineData(40, KeyFrameDecoding.Always, 6, "key frames only, 4 s GOP")]
    [InlineData(20, KeyFrameDecoding.Never, 16, "every frame decoded, 2 s GOP")]
    public async Task VideoTime_IsTheBurnedInCaptureTime_FromTheFirstFrame_AndNeverAfterTheFrameArrived(int gop, KeyFrameDecoding decoding, int count, string what)
    {
        await using var camera = await RtspCamera.StartAsync(Loopback.FreePort(), $"/clock=clock:320x240@10,gop={gop}");
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var clock = new BurnedClock();
        var run = rig.Capture("cam-1", camera.Url("clock"), fps: 2, analysis: clock, decoding: decoding).RunAsync(cts.Token);
        await Eventually.True(() => clock.Frames.Count >= count, TimeSpan.FromSeconds(90), $"{count} analysed frames");
        await cts.CancelAsync();
        await run;

        var frames = clock.Frames.ToList();
        var offsets = frames.Select(f => (f.VideoTime - f.Captured).TotalSeconds).ToList();
        output.WriteLine($"{what}: {frames.Count} frames, video time less burned-in capture time: first {offsets[0]:0.000} s, "
            + $"min {offsets.Min():0.000} s, max (worst lateness) {offsets.Max():0.000} s, last {offsets[^1]:0.000} s; "
            + $"delivery less capture time: min {frames.Min(f => (f.Seen - f.Captured).TotalSeconds):0.000} s, max {frames.Max(f => (f.Seen - f.Captured).TotalSeconds):0.000} s");
        output.WriteLine("per frame, video time / delivery less capture time: "
            + string.Join(" ", frames.Select(f => $"{(f.VideoTime - f.Captured).TotalSeconds:0.00}/{(f.Seen - f.Captured).TotalSeconds:0.00}")));
        // Every frame, the first of the session included.
        Assert.All(frames, f =>
        {
            Assert.True(f.VideoTime <= f.Seen, $"frame taken at {f.Captured:O} dated {f.VideoTime:O}, after it was delivered at {f.Seen:O}");
            Assert.True((f.VideoTime - f.Captured).Duration() <= Tolerance, $"frame taken at {f.Captured:O} dated {f.VideoTime:O}");
        });
        // Events never go back in time.
        Assert.Equal(frames.Select(f => f.VideoTime).Order(), frames.Select(f => f.VideoTime));
    }

    /// <summary>Reads the capture time the clock camera burned into each frame: 8x8 blocks, most significant bit first.</summary>
    private sealed class BurnedClock : IFrameConsumer
    {
        public ConcurrentQueue<(DateTimeOffset VideoTime, DateTimeOffset Captured, DateTimeOffset Seen)> Frames { get; } = new();

        public ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
        {
            var seen = TimeProvider.System.GetUtcNow();
            var millis = 0L;
            for (var bit = 0; bit < 64; bit++)
            {
                var (row, column) = Math.DivRem(bit, 8);
                var luma = frame.I420[((row * 2 + 1) * frame.Height / 16 * frame.Width) + ((column * 2 + 1) * frame.Width / 16)];
                millis = (millis << 1) | (luma > 128 ? 1L : 0L);
            }

            Frames.Enqueue((frame.Timestamp, DateTimeOffset.FromUnixTimeMilliseconds(millis), seen));
            return ValueTask.CompletedTask;
        }
    }
}
