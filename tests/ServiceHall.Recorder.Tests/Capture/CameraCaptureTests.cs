using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
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
        Assert.Equal(320 * 240 * 3 / 2, first.I420.Length);
        Assert.Equal("cam-1", first.CameraId);
    }

    [Fact]
    public async Task RunAsync_NobodyListening_MarksDownWithReasonAndKeepsRetrying()
    {
        var error = await DownReasonWhileRetrying($"rtsp://127.0.0.1:{Loopback.FreePort()}/none");

        Assert.Contains("cannot open stream", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CameraSendsGarbage_MarksDownWithReasonAndKeepsRetrying()
    {
        var garbage = _dir.Combine("garbage.ts");
        await File.WriteAllBytesAsync(garbage, System.Security.Cryptography.RandomNumberGenerator.GetBytes(256 * 1024));

        var error = await DownReasonWhileRetrying(garbage);

        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    /// <summary>Runs a capture of <paramref name="url"/> until it reports the camera down; the loop must still be running.</summary>
    private static async Task<string> DownReasonWhileRetrying(string url)
    {
        var (capture, states) = Build(url, new FrameCollector());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var run = capture.RunAsync(cts.Token);
        var report = await Eventually.Until(
            () => states.Report()[0] is { Online: false, Error: { } e } r && e != "connecting" ? r : null,
            TimeSpan.FromSeconds(20),
            "camera reported down");
        Assert.False(run.IsCompleted, "the capture loop must survive a camera it cannot read");
        await cts.CancelAsync();
        await run;
        return report.Error!;
    }

    [Fact]
    public async Task RunAsync_ResolutionChangesMidStream_FramesAreScaledToTheProbedSize()
    {
        // 2 s of green at 320x240, then 640x360 with a blue left half and a red right half.
        var small = _dir.Combine("small.ts");
        var large = _dir.Combine("large.ts");
        await RunFfmpeg($"-v error -f lavfi -i color=c=green:s=320x240:r=10 -t 2 -c:v libx264 -pix_fmt yuv420p -f mpegts \"{small}\"");
        await RunFfmpeg($"-v error -f lavfi -i color=c=blue:s=640x360:r=10,drawbox=x=320:y=0:w=320:h=360:color=red:t=fill -t 4 -c:v libx264 -pix_fmt yuv420p -output_ts_offset 2 -f mpegts \"{large}\"");
        var changing = _dir.Combine("changing.ts");
        await File.WriteAllBytesAsync(changing, [.. await File.ReadAllBytesAsync(small), .. await File.ReadAllBytesAsync(large)]);
        var frames = new FrameCollector();
        var (capture, _) = Build(changing, frames);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var run = capture.RunAsync(cts.Token);
        var after = await Eventually.Until(
            () => frames.Frames.Skip(1).FirstOrDefault(f => !IsGreen(Pixel(f, 160, 120))),
            TimeSpan.FromSeconds(40),
            "a frame after the resolution change");
        await cts.CancelAsync();
        await run;

        // Scaled whole: left half blue, right half red on every row. Read unscaled, 640-wide rows would be cut into
        // 320-wide ones and alternate blue and red row by row.
        Assert.Equal((320, 240, 320 * 240 * 3 / 2), (after.Width, after.Height, after.I420.Length));
        foreach (var y in new[] { 60, 61, 120, 121, 180 })
        {
            Assert.True(IsBlue(Pixel(after, 60, y)), $"left of row {y} should be blue");
            Assert.True(IsRed(Pixel(after, 260, y)), $"right of row {y} should be red");
        }
    }

    private static (byte B, byte G, byte R) Pixel(CameraFrame frame, int x, int y)
    {
        using var bgr = frame.ToBgr();
        var p = bgr.At<Vec3b>(y, x);
        return (p.Item0, p.Item1, p.Item2);
    }

    private static bool IsGreen((byte B, byte G, byte R) p) => p.G > 100 && p.B < 80 && p.R < 80;

    private static bool IsBlue((byte B, byte G, byte R) p) => p.B > 180 && p.R < 80 && p.G < 80;

    private static bool IsRed((byte B, byte G, byte R) p) => p.R > 180 && p.B < 80 && p.G < 80;

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
}
