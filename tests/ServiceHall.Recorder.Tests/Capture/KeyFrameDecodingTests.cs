using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Recorder.Tests.Recording;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>Real ffmpeg decoding key frames only for analysis while recording every frame by stream copy.</summary>
public sealed class KeyFrameDecodingTests : IDisposable
{
    private const int Fps = 10;
    private readonly LogCollector _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Capture_OneSecondGopCamera_DecodesKeyFramesAtOneFpsAndRecordsEveryFrame()
    {
        await using var camera = await RtspCamera.StartAsync(Loopback.FreePort(), $"/cam=test:320x240@{Fps},gop={Fps}");
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var frames = new ConcurrentQueue<CameraFrame>();
        await rig.Collector.StartAsync(cts.Token);
        var run = Capture(camera.Url("cam"), rig, frames).RunAsync(cts.Token);

        await Eventually.True(() => frames.Count >= 5 && rig.Index.ForCamera("cam-1").Count >= 1, TimeSpan.FromSeconds(60), "5 frames and a segment");
        await cts.CancelAsync();
        await run;
        await rig.Collector.StopAsync(CancellationToken.None);

        Assert.Equal(0, _logs.Count("key frames only: False"));
        Assert.True(_logs.Count("-skip_frame nokey") >= 1, "ffmpeg started with -skip_frame nokey");
        // Analysis: a second of video time per frame (give or take the jitter of the pipe's delay, which dates them: VideoClock),
        // and each frame a new key frame of the moving pattern, not a repeat.
        // The first frame is left out: a live camera's start-up (here a loaded GStreamer source) may skip a key frame.
        var analysed = frames.Skip(1).Take(4).ToList();
        Assert.All(analysed.Zip(analysed.Skip(1)), p => Assert.InRange((p.Second.Timestamp - p.First.Timestamp).TotalSeconds, 1 - 0.3, 1 + 0.3));
        Assert.All(analysed.Zip(analysed.Skip(1)), p => Assert.False(p.First.I420.AsSpan().SequenceEqual(p.Second.I420), "consecutive analysis frames are identical"));
        // Recording: stream copy keeps all 10 frames a second, predicted frames included.
        var segment = Path.Combine(rig.Sessions.Root, rig.Index.ForCamera("cam-1")[0].Path);
        var packets = (await RecordingRig.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=flags", "-of", "csv=p=0", segment))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var duration = double.Parse((await RecordingRig.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", segment)).Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(packets.Length / duration, Fps * 0.8, Fps * 1.2);
        Assert.True(packets.Count(p => !p.StartsWith('K')) > packets.Length / 2, "the recording keeps the predicted frames");
    }

    [Fact]
    public async Task Capture_TwoSecondGopRtspCamera_DecodesKeyFramesOnlyAFrameEveryTwoSeconds()
    {
        await using var camera = await RtspCamera.StartAsync(Loopback.FreePort(), "/cam=test:640x360@25,gop=50");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var frames = new ConcurrentQueue<CameraFrame>();
        var (capture, states) = CaptureWithStates(camera.Url("cam"), recording: null, frames);
        var run = capture.RunAsync(cts.Token);

        await Eventually.True(() => frames.Count >= 4, TimeSpan.FromSeconds(60), "4 frames");
        await cts.CancelAsync();
        await run;

        Assert.True(_logs.Count("key frames only: True") >= 1, "key-frame mode chosen for a 2 s GOP");
        Assert.True(_logs.Count("-skip_frame nokey") >= 1, "ffmpeg started with -skip_frame nokey");
        Assert.True(_logs.Count("select=isnan(prev_selected_t)+gt(floor(t*1)") >= 1, "key frames pass at their own rate, at most 1 a second");
        var health = states.Report()[0];
        Assert.True(health.KeyFramesOnly);
        Assert.InRange(health.KeyFrameIntervalSeconds ?? 0, 1.9, 2.1);
        Assert.Null(health.AnalysisWarning);
        // A frame every 2 s of video time, each a new key frame of the moving pattern, not a repeat.
        var analysed = frames.Skip(1).Take(3).ToList();
        Assert.All(analysed.Zip(analysed.Skip(1)), p => Assert.InRange((p.Second.Timestamp - p.First.Timestamp).TotalSeconds, 2 - 0.3, 2 + 0.3));
        Assert.All(analysed.Zip(analysed.Skip(1)), p => Assert.False(p.First.I420.AsSpan().SequenceEqual(p.Second.I420), "consecutive analysis frames are identical"));
    }

    [Fact]
    public async Task Capture_FiveSecondGopCamera_DecodesEveryFrameAndWarnsInLogAndHeartbeat()
    {
        using var rig = new RecordingRig();
        var clip = Path.Combine(rig.Data.Path, "gop5.mp4");
        await RecordingRig.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"testsrc=size=320x240:rate={Fps}", "-t", "12", "-c:v", "libx264", "-g", $"{5 * Fps}", "-keyint_min", $"{5 * Fps}", "-sc_threshold", "0", "-pix_fmt", "yuv420p", clip);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var frames = new ConcurrentQueue<CameraFrame>();
        var (capture, states) = CaptureWithStates(clip, recording: null, frames);
        var run = capture.RunAsync(cts.Token);

        await Eventually.True(() => !frames.IsEmpty, TimeSpan.FromSeconds(40), "a frame");
        await cts.CancelAsync();
        await run;

        const string warning = "GOP 5 s > 4 s: every frame decoded, about 20 % of a core at 1080p";
        Assert.True(_logs.Count(warning) >= 1, "the log says what full decoding costs");
        Assert.Equal(0, _logs.Count("-skip_frame nokey"));
        Assert.Equal(warning, states.Report()[0].AnalysisWarning);
        Assert.False(states.Report()[0].KeyFramesOnly);
    }

    private CameraCapture Capture(string url, RecordingRig? recording, ConcurrentQueue<CameraFrame> frames) =>
        CaptureWithStates(url, recording, frames).Capture;

    private (CameraCapture Capture, CameraStates States) CaptureWithStates(string url, RecordingRig? recording, ConcurrentQueue<CameraFrame> frames)
    {
        var options = new CaptureOptions
        {
            AnalysisFps = 1,
            DecodeKeyFramesOnly = KeyFrameDecoding.Auto,
            Cameras = [new CameraOptions { Id = "cam-1", Name = "一号", Url = url }],
        };
        var states = new CameraStates(Options.Create(options), new ReportTrigger());
        return (new CameraCapture(
            options.Cameras[0],
            options,
            [states, new FrameCollector(frames)],
            states,
            TimeProvider.System,
            _logs.CreateLogger("capture"),
            recording?.Sessions,
            recording?.Get<EventReporter>()), states);
    }
}
