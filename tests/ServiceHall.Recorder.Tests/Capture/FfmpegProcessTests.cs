using System.Diagnostics;
using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>The capture session's own ffmpeg runner, on real processes.</summary>
public sealed class FfmpegProcessTests
{
    [Fact]
    public async Task RunAsync_Stopped_FfmpegQuitsAfterHandingOnItsOutput()
    {
        var bytes = 0L;
        var lines = 0;
        using var stop = new CancellationTokenSource();
        async Task Read(Stream stdout, CancellationToken ct)
        {
            var buffer = new byte[64 * 64 * 3 / 2];
            int n;
            while ((n = await stdout.ReadAsync(buffer, ct)) > 0)
            {
                if (Interlocked.Add(ref bytes, n) >= 20 * buffer.Length)
                {
                    await stop.CancelAsync();
                }
            }
        }

        var exitCode = await FfmpegProcess.RunAsync(
            "ffmpeg",
            "-hide_banner -re -f lavfi -i testsrc=size=64x64:rate=25 -vf showinfo -pix_fmt yuv420p -f rawvideo pipe:1",
            Read,
            line => Interlocked.Increment(ref lines),
            TimeSpan.FromSeconds(5),
            stop.Token);

        Assert.Equal(0, exitCode);
        Assert.True(bytes >= 20 * 64 * 64 * 3 / 2, $"{bytes} bytes");
        Assert.True(lines >= 20, $"{lines} stderr lines");
    }

    [Fact]
    public async Task RunAsync_ProcessIgnoringQuit_IsKilledAfterTheGrace()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();

        var exitCode = await FfmpegProcess.RunAsync("sleep", "30", (stdout, ct) => stdout.CopyToAsync(Stream.Null, ct), _ => { }, TimeSpan.FromMilliseconds(500), stop.Token);

        Assert.NotEqual(0, exitCode);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(10));
    }
}
