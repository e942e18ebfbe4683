using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Tests.Recording;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>
/// A camera with a main and a sub stream, served by the real RTSP server (main and sub on servers of their own, so the
/// sub stream can go away alone): the sub stream feeds the analysis, the main stream the recording.
/// </summary>
public sealed class SubStreamTests : IDisposable
{
    private readonly LogCollector _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task SubStream_FeedsAnalysisAtItsSize_WhileTheMainStreamIsRecordedAtItsOwn()
    {
        await using var main = await RtspCamera.StartAsync(Loopback.FreePort(), "/main=test:640x360@10,gop=10");
        await using var sub = await RtspCamera.StartAsync(Loopback.FreePort(), "/sub=test:320x180@10,gop=10");
        using var rig = new RecordingRig();
        var (capture, states, frames) = Build(rig, main.Url("main"), sub.Url("sub"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await rig.Collector.StartAsync(cts.Token);

        var run = capture.RunAsync(cts.Token);
        await Eventually.True(() => rig.Index.ForCamera("cam-1").Count >= 2, TimeSpan.FromSeconds(60), "two recorded segments");
        await Eventually.True(() => !frames.IsEmpty && states.Report()[0].Streams![1].State == "up", TimeSpan.FromSeconds(30), "an analysis frame");
        var report = states.Report()[0];
        var recorded = await RecordingRig.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0",
            Path.Combine(rig.Sessions.Root, rig.Index.ForCamera("cam-1")[0].Path));
        await cts.CancelAsync();
        await run;
        await rig.Collector.StopAsync(CancellationToken.None);

        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.Equal((320, 180), (f.Width, f.Height)));
        // MPEG-TS lists the stream twice (alone and in its program).
        Assert.Equal(["640,360"], recorded.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        Assert.True(report.Online);
        Assert.Equal((640, 360), (report.Width, report.Height));
        Assert.Equal("sub", report.AnalysisSource);
        Assert.Equal(
            [("main", "up", "h264", 640, 360), ("sub", "up", "h264", 320, 180)],
            report.Streams!.Select(s => (s.Role, s.State, s.Codec, s.Width, s.Height)));
        Assert.Equal(1.0, report.Streams![1].KeyFrameIntervalSeconds!.Value, 1);
        Assert.True(report.KeyFramesOnly, "the sub stream's GOP (1 s) is within the maximum: its key frames are analysed");
        Assert.Null(report.AnalysisWarning);
        // The main stream's recording session decodes nothing: no analysis output on its command line.
        var recordingSessions = _logs.Lines.Where(l => l.Contains("starting", StringComparison.Ordinal) && l.Contains("/main", StringComparison.Ordinal) && l.Contains("-f tee", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(recordingSessions);
        Assert.All(recordingSessions, l => Assert.DoesNotContain("rawvideo", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubStreamWithAGopOverTheMaximum_IsDecodedWholeAtTheAnalysisRate_WithoutAWarning()
    {
        await using var camera = await RtspCamera.StartAsync(Loopback.FreePort(), "/main=test:640x360@10,gop=10", "/sub=test:320x180@10,gop=30");
        using var rig = new RecordingRig();
        var (capture, states, frames) = Build(rig, camera.Url("main"), camera.Url("sub"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var run = capture.RunAsync(cts.Token);
        await Eventually.True(() => frames.Count >= 4, TimeSpan.FromSeconds(40), "four analysis frames");
        var report = states.Report()[0];
        var analysed = frames.ToList();
        await cts.CancelAsync();
        await run;

        Assert.All(analysed, f => Assert.Equal((320, 180), (f.Width, f.Height)));
        Assert.Equal("sub", report.AnalysisSource);
        Assert.False(report.KeyFramesOnly);
        Assert.Null(report.AnalysisWarning);
        // A 3 s probe of a 3 s GOP may see one key frame only: the GOP is then unknown, too long to tell either way.
        Assert.True(report.Streams![1].KeyFrameIntervalSeconds is null or > 1.1, $"sub GOP {report.Streams![1].KeyFrameIntervalSeconds}");
        // Every frame decoded, thinned to the analysis rate (2 fps): frames half a second of video time apart, not a GOP.
        Assert.All(analysed.Zip(analysed.Skip(1)), p => Assert.Equal(0.5, (p.Second.Timestamp - p.First.Timestamp).TotalSeconds, 1));
    }

    [Fact]
    public async Task SubStreamGoesAway_AnalysisFallsBackToMainKeyFrames_AndReturnsToTheSubWithIt()
    {
        await using var main = await RtspCamera.StartAsync(Loopback.FreePort(), "/main=test:640x360@10,gop=10");
        await using var sub = await RtspCamera.StartAsync(Loopback.FreePort(), "/sub=test:320x180@10,gop=10");
        using var rig = new RecordingRig();
        var (capture, states, frames) = Build(rig, main.Url("main"), sub.Url("sub"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));

        var run = capture.RunAsync(cts.Token);
        await Eventually.True(() => frames.Any(f => f.Width == 320), TimeSpan.FromSeconds(40), "a frame of the sub stream");
        await sub.StopAsync();
        await Eventually.True(() => frames.Any(f => f.Width == 640), TimeSpan.FromSeconds(60), "a frame of the main stream");
        var fallback = states.Report()[0];
        await sub.StartAsync();
        var returnedAfter = frames.Count;
        await Eventually.True(() => frames.Skip(returnedAfter).Any(f => f.Width == 320), TimeSpan.FromSeconds(60), "the sub stream's frames again");
        var back = states.Report()[0];
        await cts.CancelAsync();
        await run;

        Assert.Equal("main", fallback.AnalysisSource);
        Assert.Equal("down", fallback.Streams![1].State);
        Assert.False(string.IsNullOrEmpty(fallback.Streams![1].Error));
        Assert.True(fallback.Online, "the camera stays up: its main stream never went away");
        Assert.True(fallback.KeyFramesOnly, "the stand-in reads the main stream's key frames (GOP 1 s)");
        Assert.Equal("sub", back.AnalysisSource);
        Assert.Equal("up", back.Streams![1].State);
        Assert.True(_logs.Count("sub stream unavailable") >= 1);
        Assert.Equal(1, _logs.Count("analysis back on the sub stream"));
        Assert.Empty(rig.Sink.OfType<CameraLost>());
    }

    [Fact]
    public async Task SubStreamOfAnotherShape_IsRefusedWithAWarning_AndTheMainStreamIsAnalysed()
    {
        await using var camera = await RtspCamera.StartAsync(Loopback.FreePort(), "/main=test:640x360@10,gop=10", "/sub=test:320x240@10,gop=10");
        using var rig = new RecordingRig();
        var (capture, states, frames) = Build(rig, camera.Url("main"), camera.Url("sub"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var run = capture.RunAsync(cts.Token);
        await Eventually.True(() => !frames.IsEmpty, TimeSpan.FromSeconds(40), "an analysis frame");
        var report = states.Report()[0];
        await cts.CancelAsync();
        await run;

        Assert.All(frames, f => Assert.Equal((640, 360), (f.Width, f.Height)));
        Assert.Equal("main", report.AnalysisSource);
        Assert.Equal(("refused", 320, 240), (report.Streams![1].State, report.Streams[1].Width, report.Streams[1].Height));
        Assert.Contains("another shape than the main stream 640x360", report.Streams[1].Error, StringComparison.Ordinal);
        Assert.Equal(1, _logs.Count("sub stream refused: sub stream 320x240"));
    }

    [Fact]
    public void Refusal_SameShapeWithinRounding_Passes_OtherShapeIsRefused()
    {
        var gop = new GopDecision(false, TimeSpan.FromSeconds(1), null, null);

        Assert.Null(SubStream.Refusal(new StreamInfo(1920, 1080, gop), new StreamInfo(640, 360, gop)));
        Assert.Null(SubStream.Refusal(new StreamInfo(1920, 1080, gop), new StreamInfo(704, 396, gop)));
        Assert.NotNull(SubStream.Refusal(new StreamInfo(1920, 1080, gop), new StreamInfo(704, 576, gop)));
        Assert.NotNull(SubStream.Refusal(new StreamInfo(2560, 1440, gop), new StreamInfo(640, 480, gop)));
    }

    private (CameraCapture Capture, CameraStates States, ConcurrentQueue<CameraFrame> Frames) Build(RecordingRig rig, string url, string analysisUrl)
    {
        var options = new CaptureOptions
        {
            AnalysisFps = 2,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            MaxKeyFrameInterval = TimeSpan.FromSeconds(1),
            Cameras = [new CameraOptions { Id = "cam-1", Name = "一号", Url = url, AnalysisUrl = analysisUrl }],
        };
        var states = new CameraStates(Options.Create(options), new ReportTrigger());
        var frames = new ConcurrentQueue<CameraFrame>();
        var capture = new CameraCapture(
            options.Cameras[0], options, [states, new FrameCollector(frames)], states, TimeProvider.System, _logs.CreateLogger("capture"), rig.Sessions, rig.Get<EventReporter>());
        return (capture, states, frames);
    }
}
