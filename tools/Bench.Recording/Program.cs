// ./hall.sh bench recording [--cameras N] [--seconds S] [--size WxH] [--fps F]
// N cameras from the local RTSP server, recorded by a real Recorder host (segments by stream copy plus 1 fps analysis
// frames, one ffmpeg per camera). Measures the CPU of those ffmpeg processes only (from /proc/PID/stat), never the
// RTSP server's encoders, over a steady window after every camera is up.
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder;
using ServiceHall.Testing;

var cameras = Arg("--cameras", 8);
var seconds = Arg("--seconds", 60);
var size = ArgText("--size", "1280x720");
var fps = Arg("--fps", 10);

using var data = new TempDirectory();
var mounts = Enumerable.Range(1, cameras).Select(i => $"/cam{i}=test:{size}@{fps}").ToArray();
await using var server = await RtspCamera.StartAsync(Loopback.FreePort(), mounts);
var recorderArgs = new List<string>
{
    "--Site:Id=bench-hall",
    "--Site:Name=bench",
    $"--Site:DataDirectory={data.Path}",
    $"--Uplink:ConsoleUrl=http://127.0.0.1:{Loopback.FreePort()}",
    "--Uplink:SiteKey=unused",
    "--Uplink:RetryMaxDelay=00:00:30",
    "--Capture:AnalysisFps=1",
    "--Recording:MinFreeDiskBytes=0",
};
for (var i = 0; i < cameras; i++)
{
    recorderArgs.Add($"--Capture:Cameras:{i}:Id=cam-{i + 1}");
    recorderArgs.Add($"--Capture:Cameras:{i}:Name=cam {i + 1}");
    recorderArgs.Add($"--Capture:Cameras:{i}:Url={server.Url($"cam{i + 1}")}");
}

using var host = RecorderServices.Build([.. recorderArgs], b => b.Logging.ClearProviders());
await host.StartAsync();
var self = Environment.ProcessId;
// Steady state: every camera has its ffmpeg, and a few seconds to settle after connecting.
var deadline = DateTime.UtcNow.AddSeconds(60);
while (ChildFfmpegCpu(self).Count < cameras && DateTime.UtcNow < deadline)
{
    await Task.Delay(500);
}

await Task.Delay(TimeSpan.FromSeconds(5));
var before = ChildFfmpegCpu(self);
var bytesBefore = BytesUnder(data.Path);
var started = DateTime.UtcNow;
var last = new Dictionary<int, long>(before);
while (DateTime.UtcNow - started < TimeSpan.FromSeconds(seconds))
{
    await Task.Delay(1000);
    // Keep the latest reading of every process, so one that restarts still counts.
    foreach (var (pid, ticks) in ChildFfmpegCpu(self))
    {
        last[pid] = ticks;
    }
}

var wall = (DateTime.UtcNow - started).TotalSeconds;
await host.StopAsync();
// After the stop, so the open segments are flushed and finished (ffmpeg is asked to quit, not killed).
var bytes = BytesUnder(data.Path) - bytesBefore;

var ticksPerSecond = 100.0; // USER_HZ on Linux
var cpuSeconds = last.Sum(p => p.Value - before.GetValueOrDefault(p.Key)) / ticksPerSecond;
var cameraMinutes = cameras * wall / 60;
var pct = cpuSeconds / (cameras * wall) * 100;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cameras={cameras} source={size}@{fps}fps h264 analysis_fps=1 seconds={wall:0.0} ffmpeg_processes={last.Count}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ffmpeg_cpu_seconds={cpuSeconds:0.00} cpu_seconds_per_camera_minute={cpuSeconds / cameraMinutes:0.000}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes_written={bytes} bytes_per_camera_minute={bytes / cameraMinutes:0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recording_cpu_pct_per_camera={pct:0.00}"));
return 0;

// utime+stime (clock ticks) of every ffmpeg process whose parent is this process.
static Dictionary<int, long> ChildFfmpegCpu(int parent)
{
    var result = new Dictionary<int, long>();
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        if (!int.TryParse(Path.GetFileName(dir), out var pid))
        {
            continue;
        }

        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(dir, "stat"));
        }
        catch (IOException)
        {
            continue;
        }

        // "pid (comm) state ppid ... utime(14) stime(15)": split after the command name, which may hold spaces.
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (stat[(open + 1)..close] != "ffmpeg")
        {
            continue;
        }

        var fields = stat[(close + 2)..].Split(' ');
        if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
        {
            result[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
    }

    return result;
}

static long BytesUnder(string path) =>
    Directory.EnumerateFiles(path, "*.ts", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

int Arg(string name, int fallback) => int.Parse(ArgText(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string ArgText(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
