using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>Real ffmpeg against real inputs: a generated file, and a port where nothing listens.</summary>
public sealed class CameraCaptureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunAsync_FileCamera_DeliversFramesAtItsResolution()
    {
        var clip = _dir.Combine("clip.mp4");
        await RunFfmpeg($"-v error -f lavfi -i testsrc=size=320x240:rate=10 -t 3 -pix_fmt yuv420p \"{clip}\"");
        var frames = new FrameCollector();
        var (capture, states) = Build(clip, frames);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var run = capture.RunAsync(cts.Token);
        var first = await Eventually.Until(() => frames.Frames.TryPeek(out var f) ? f : null, TimeSpan.FromSeconds(20), "a frame");
        await Eventually.True(() => states.Report()[0].Online, TimeSpan.FromSeconds(5), "camera online");
        await cts.CancelAsync();
        await run;

        Assert.Equal((320, 240), (first.Width, first.Height));
        Assert.Equal(320 * 240 * 3, first.Bgr.Length);
        Assert.Equal("cam-1", first.CameraId);
    }

    [Fact]
    public async Task RunAsync_NobodyListening_MarksDownWithReasonAndKeepsRetrying()
    {
        var url = $"rtsp://127.0.0.1:{Loopback.FreePort()}/none";
        var (capture, states) = Build(url, new FrameCollector());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var run = capture.RunAsync(cts.Token);
        var report = await Eventually.Until(
            () => states.Report()[0] is { Online: false, Error: { } e } r && e != "connecting" ? r : null,
            TimeSpan.FromSeconds(20),
            "camera reported down");
        Assert.False(run.IsCompleted, "the capture loop must survive an unreachable camera");
        await cts.CancelAsync();
        await run;

        Assert.Contains("cannot open stream", report.Error, StringComparison.Ordinal);
    }

    private static (CameraCapture, CameraStates) Build(string url, IFrameConsumer consumer)
    {
        var options = new CaptureOptions
        {
            AnalysisFps = 2,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            Cameras = [new CameraOptions { Id = "cam-1", Name = "一号", Url = url }],
        };
        var states = new CameraStates(Options.Create(options), new ReportTrigger());
        var capture = new CameraCapture(options.Cameras[0], options, [states, consumer], states, TimeProvider.System, NullLogger.Instance);
        return (capture, states);
    }

    private static async Task RunFfmpeg(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardError = true })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
    }

    private sealed class FrameCollector : IFrameConsumer
    {
        public ConcurrentQueue<CameraFrame> Frames { get; } = new();

        public ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
        {
            Frames.Enqueue(frame);
            return ValueTask.CompletedTask;
        }
    }
}
