using System.Diagnostics;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Recording;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Recording;

/// <summary>A real Recorder process recording a real RTSP camera, killed with SIGKILL mid-segment and started again.</summary>
public sealed class RecorderCrashTests
{
    private static readonly TimeSpan SegmentLength = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task KillNine_MidSegment_RestartReconcilesIndexWithDiskAndLosesAtMostOneSegment()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        using var data = new TempDirectory();
        var root = Path.Combine(data.Path, "recordings");
        var dayFiles = () => Directory.Exists(Path.Combine(root, "cam-1"))
            ? Directory.EnumerateFiles(Path.Combine(root, "cam-1"), "*.ts", SearchOption.AllDirectories).Where(f => !f.Contains("/incoming/", StringComparison.Ordinal)).ToList()
            : [];

        var first = StartRecorder(data.Path, camera.Url("cam"));
        DateTimeOffset killedAt;
        try
        {
            await Eventually.True(() => dayFiles().Count >= 2, TimeSpan.FromSeconds(60), "two finished segments");
            // Mid-segment: the current one has data, and is at least a second old.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            killedAt = DateTimeOffset.UtcNow;
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        finally
        {
            first.Dispose();
        }

        var cutShort = Directory.GetFiles(Path.Combine(root, "cam-1", "incoming"), "*.ts");
        Assert.NotEmpty(cutShort);

        using (var second = StartRecorder(data.Path, camera.Url("cam")))
        {
            var before = dayFiles().Count;
            await Eventually.True(() => dayFiles().Count >= before + 3, TimeSpan.FromSeconds(60), "new segments after the restart");
            await StopGracefullyAsync(second);
        }

        using var database = new RecorderDatabase(Options.Create(new SiteOptions { Id = "hall-1", Name = "n", DataDirectory = data.Path }));
        var index = new SegmentIndex(database);
        var indexed = index.ForCamera("cam-1");
        var onDisk = dayFiles().Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, indexed.Select(s => s.Path).Order(StringComparer.Ordinal));
        Assert.All(indexed, s => Assert.Equal(new FileInfo(Path.Combine(root, s.Path)).Length, s.Bytes));

        // The segment that was being written when the power went is kept (it plays) with its real end.
        var beforeCrash = indexed.Where(s => s.Start < killedAt).ToList();
        var lastEnd = beforeCrash.Max(s => s.End);
        Assert.True(killedAt - lastEnd <= SegmentLength, $"lost {(killedAt - lastEnd).TotalSeconds:0.0} s before the crash");
        var gap = Assert.Single(index.Gaps("cam-1"));
        Assert.Equal("recorder was not running", gap.Cause);
        Assert.Equal(lastEnd, gap.From);
        Assert.True(gap.To > killedAt);
    }

    private static Process StartRecorder(string dataDirectory, string cameraUrl)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot.Path, "src", "Recorder", "bin", configuration, "net10.0", "ServiceHall.Recorder.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            dll,
            "--Site:Id=hall-1",
            "--Site:Name=测试大厅",
            $"--Site:DataDirectory={dataDirectory}",
            // Nobody listens there: the Recorder records while it keeps retrying the Console.
            $"--Uplink:ConsoleUrl=http://127.0.0.1:{Loopback.FreePort()}",
            "--Uplink:SiteKey=unused",
            "--Capture:Cameras:0:Id=cam-1",
            "--Capture:Cameras:0:Name=一号",
            $"--Capture:Cameras:0:Url={cameraUrl}",
            $"--Recording:SegmentLength={SegmentLength}",
            "--Recording:IndexInterval=00:00:00.500",
            "--Recording:MinFreeDiskBytes=0",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the Recorder");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopGracefullyAsync(Process process)
    {
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the Recorder did not stop within 30 s of SIGTERM");
        }
    }
}
