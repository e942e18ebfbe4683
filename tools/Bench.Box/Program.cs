// ./hall.sh bench box [--cameras N] [--warmup S] [--seconds S] [--profiles abc] [--streams DIR] [--models DIR]
// One box, three camera profiles (issue 13): N cameras per profile, each its own RTSP stream re-sent from pre-encoded
// real footage (tools/footage/encode-streams.sh; the server only re-sends packets, and its CPU is reported apart and
// excluded), each camera with two windows, the production analyser, recording, tamper check and heartbeats to a real
// Console (in this process). The Recorder runs as its own process; its CPU and that of its ffmpeg children are read
// from /proc/PID/stat over a window after a warm-up. Last line: box_cameras_a=<n> box_cameras_b=<n> box_cameras_c=<n>.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServiceHall.BoxBenchmark;
using ServiceHall.Testing;

var cameras = Arg("--cameras", 8);
// The Recorder's JIT tiers its code up for the first minute or two (at one frame a second per camera its methods reach
// their call counts slowly): after 20 s it was still about 40 % of the Recorder's CPU in a perf profile, after 130 s
// about 3 %. A Recorder runs for weeks; the box is sized on its steady state (docs/benchmarks.md, One box).
var warmup = Arg("--warmup", 120);
var seconds = Arg("--seconds", 60);
var profiles = ArgText("--profiles", "abc");
var streams = Path.GetFullPath(ArgText("--streams", Path.Combine(RepoRoot.Path, ".cache", "streams", "bench")));
var models = Path.GetFullPath(ArgText("--models", Path.Combine(RepoRoot.Path, ".cache", "models")));
var recorderDll = Path.Combine(RepoRoot.Path, "src", "Recorder", "bin", "Release", "net10.0", "ServiceHall.Recorder.dll");

Profile[] all =
[
    new("a", "1920x1080 H.264 4 Mbit/s GOP 50 main + 640x360 H.264 sub", "a-main.mkv", "sub.mkv"),
    new("b", "2560x1440 H.265 4 Mbit/s GOP 50 main + 640x360 H.264 sub", "b-main.mkv", "sub.mkv"),
    new("c", "1920x1080 H.264 4 Mbit/s GOP 50, no sub stream", "a-main.mkv", null),
];

Out($"box bench: {cameras} cameras per profile, {warmup} s warm-up, {seconds} s measured, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Out("AnalysisUrl (the sub stream) is set for A and B: the Recorder analyses the sub stream (its key frames when its GOP allows) and only records the main one; C analyses the main stream's key frames.");
var results = new Dictionary<string, int>();
foreach (var profile in all.Where(p => profiles.Contains(p.Name, StringComparison.Ordinal)))
{
    results[profile.Name] = await RunAsync(profile);
}

Out(string.Join(' ', all.Select(p => $"box_cameras_{p.Name}={(results.TryGetValue(p.Name, out var n) ? n.ToString(CultureInfo.InvariantCulture) : "-")}")));
return 0;

async Task<int> RunAsync(Profile profile)
{
    var mounts = new List<(string, string)>();
    for (var i = 1; i <= cameras; i++)
    {
        mounts.Add(($"c{i}", Path.Combine(streams, profile.Main)));
        if (profile.Sub is not null)
        {
            mounts.Add(($"c{i}s", Path.Combine(streams, profile.Sub)));
        }
    }

    await using var server = await RtspCamera.StartFilesAsync([.. mounts]);
    await using var console = await ConsoleServer.StartAsync();
    var key = console.AddSite("bench-hall");
    using var data = new TempDirectory();
    var settings = Path.Combine(data.Path, "recorder.json");
    await File.WriteAllTextAsync(settings, RecorderSettings(profile, server, data.Path, console.BaseAddress));

    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in (string[])[recorderDll, "--settings", settings])
    {
        start.ArgumentList.Add(a);
    }

    start.Environment["Uplink__SiteKey"] = key;
    using var recorder = Process.Start(start) ?? throw new InvalidOperationException("cannot start the Recorder");
    var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
    recorder.OutputDataReceived += (_, e) => Keep(said, e.Data);
    recorder.ErrorDataReceived += (_, e) => Keep(said, e.Data);
    recorder.BeginOutputReadLine();
    recorder.BeginErrorReadLine();
    try
    {
        var up = DateTime.UtcNow.AddSeconds(60);
        while (Children(recorder.Id, "ffmpeg").Count < cameras && DateTime.UtcNow < up && !recorder.HasExited)
        {
            await Task.Delay(500);
        }

        await Task.Delay(TimeSpan.FromSeconds(warmup));
        if (recorder.HasExited)
        {
            throw new InvalidOperationException($"the Recorder stopped ({recorder.ExitCode}): {string.Join('\n', said)}");
        }

        var serverPid = ServerPid(server);
        var first = Read(recorder.Id, serverPid);
        var last = first;
        var bytesBefore = BytesUnder(data.Path);
        var loads = new List<double>();
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(1000);
            last = last.Merge(Read(recorder.Id, serverPid));
            loads.Add(LoadAverage());
        }

        var wall = started.Elapsed.TotalSeconds;
        var bytes = BytesUnder(data.Path) - bytesBefore;
        var ffmpeg = BoxFigures.CorePercentPerCamera(BoxFigures.TicksUsed(first.Ffmpeg, last.Ffmpeg), wall, cameras);
        var own = BoxFigures.CorePercentPerCamera(BoxFigures.TicksUsed(first.Recorder, last.Recorder), wall, cameras);
        var rtsp = BoxFigures.CorePercentPerCamera(BoxFigures.TicksUsed(first.Server, last.Server), wall, cameras);
        var pageKb = Environment.SystemPageSize / 1024.0;
        var n = BoxFigures.CamerasAt(ffmpeg + own);
        Out($"profile {profile.Name.ToUpperInvariant()}: {profile.Description}; {cameras} cameras, {last.FfmpegProcesses} ffmpeg processes, {wall:0} s measured");
        Out($"  cpu per camera: ffmpeg {ffmpeg:0.00} % of a core, Recorder {own:0.00} %, total {ffmpeg + own:0.00} % (RTSP server, excluded: {rtsp:0.00} %)");
        Out($"  resident memory per camera: ffmpeg {last.FfmpegRssPages * pageKb / 1024 / cameras:0.0} MiB, Recorder {last.RecorderRssPages * pageKb / 1024 / cameras:0.0} MiB");
        var perHour = BoxFigures.BytesPerCameraHour(bytes, wall, cameras);
        var sent = await StreamBytesPerHourAsync(Path.Combine(streams, profile.Main));
        Out($"  disk per camera-hour: {perHour / 1e9:0.00} GB ({bytes} bytes in the window; the camera sends {sent / 1e9:0.00} GB an hour)");
        if (perHour < 0.9 * sent)
        {
            // A starved ffmpeg reads less than the camera sends: its CPU per camera is then too low to size a box with.
            Out($"  NOT KEPT UP: recorded {perHour / sent:P0} of the stream; the box was overloaded, these figures understate the cost");
        }

        Out($"  Console: the Recorder connected {console.Logs.Count("Recorder of site bench-hall connected")} time(s) and sent its heartbeats over the run");
        Out($"  load average during the run: {loads.Average():0.00} (1-min, min {loads.Min():0.00}, max {loads.Max():0.00}); cameras on a 2-core box at 70 %: {n}");
        return n;
    }
    finally
    {
        recorder.Kill(entireProcessTree: true);
        await recorder.WaitForExitAsync();
    }
}

string RecorderSettings(Profile profile, RtspCamera server, string dataPath, Uri consoleUrl)
{
    double[][] left = [[0.10, 0.30], [0.40, 0.30], [0.40, 0.85], [0.10, 0.85]];
    double[][] right = [[0.55, 0.30], [0.85, 0.30], [0.85, 0.85], [0.55, 0.85]];
    var list = Enumerable.Range(1, cameras).Select(i => new Dictionary<string, object?>
    {
        ["Id"] = $"cam-{i}",
        ["Name"] = $"camera {i}",
        ["Url"] = server.Url($"c{i}"),
        ["AnalysisUrl"] = profile.Sub is null ? null : server.Url($"c{i}s"),
        ["Windows"] = new[]
        {
            new { Id = $"w{i}a", Name = $"window {i}a", Seat = left },
            new { Id = $"w{i}b", Name = $"window {i}b", Seat = right },
        },
    }).ToList();
    var root = new
    {
        Site = new { Id = "bench-hall", Name = "bench", TimeZone = "Asia/Shanghai", DataDirectory = dataPath },
        Uplink = new { ConsoleUrl = consoleUrl.ToString(), CaCertificate = TestTls.CaPath },
        Logging = new { LogLevel = new { Default = "Warning" } },
        Recording = new { MinFreeDiskBytes = 0 },
        Occupancy = new
        {
            ModelPath = Path.Combine(models, "selfie_segmentation.tflite"),
            FaceModelPath = Path.Combine(models, "face_detection_short_range.tflite"),
            PoseModelPath = Path.Combine(models, "pose_landmark_lite.tflite"),
            Schedule = new
            {
                Hours = new[] { "00:00-11:59", "12:00-23:59" },
                WorkDays = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" },
            },
        },
        Capture = new { AnalysisFps = 1, Cameras = list },
    };
    return JsonSerializer.Serialize(root, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
}

// The main stream's bytes an hour, from its file's size and duration.
static async Task<double> StreamBytesPerHourAsync(string file)
{
    var probe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file]) { RedirectStandardOutput = true })!;
    var duration = double.Parse((await probe.StandardOutput.ReadToEndAsync()).Trim(), CultureInfo.InvariantCulture);
    await probe.WaitForExitAsync();
    return new FileInfo(file).Length / duration * 3600;
}

static int ServerPid(RtspCamera server) =>
    Children(Environment.ProcessId, "python3").Keys.FirstOrDefault(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains($"{server.Port}", StringComparison.Ordinal));

static Reading Read(int recorder, int server)
{
    var ffmpeg = Children(recorder, "ffmpeg");
    var own = Stat(recorder);
    var rtsp = Stat(server);
    return new Reading(
        ffmpeg.ToDictionary(p => p.Key, p => p.Value.CpuTicks),
        own is null ? [] : new Dictionary<int, long> { [recorder] = own.CpuTicks },
        rtsp is null ? [] : new Dictionary<int, long> { [server] = rtsp.CpuTicks },
        ffmpeg.Values.Sum(p => p.RssPages),
        own?.RssPages ?? 0,
        ffmpeg.Count);
}

static ProcSample? Stat(int pid)
{
    try
    {
        return ProcSample.Parse(File.ReadAllText($"/proc/{pid}/stat"));
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        return null;
    }
}

static Dictionary<int, ProcSample> Children(int parent, string command)
{
    var result = new Dictionary<int, ProcSample>();
    foreach (var dir in Directory.EnumerateDirectories("/proc"))
    {
        if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } s && s.ParentPid == parent && s.Command == command)
        {
            result[pid] = s;
        }
    }

    return result;
}

// The Recorder's last lines, for the reason when it stops.
static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
{
    if (line is null)
    {
        return;
    }

    lines.Enqueue(line);
    while (lines.Count > 20 && lines.TryDequeue(out _))
    {
    }
}

static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

static long BytesUnder(string path) =>
    Directory.EnumerateFiles(path, "*.ts", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

static void Out(string line) => Console.WriteLine(line);

int Arg(string name, int fallback) => int.Parse(ArgText(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string ArgText(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

/// <summary>A camera profile of issue 13: its main stream file and, for A and B, its sub stream file.</summary>
internal sealed record Profile(string Name, string Description, string Main, string? Sub);

/// <summary>CPU ticks per process at one moment (ffmpeg children, the Recorder, the RTSP server) and resident pages.</summary>
internal sealed record Reading(
    IReadOnlyDictionary<int, long> Ffmpeg,
    IReadOnlyDictionary<int, long> Recorder,
    IReadOnlyDictionary<int, long> Server,
    long FfmpegRssPages,
    long RecorderRssPages,
    int FfmpegProcesses)
{
    /// <summary>The newer reading, keeping the last ticks of processes gone since (a restarted ffmpeg still counts).</summary>
    public Reading Merge(Reading newer) => newer with
    {
        Ffmpeg = Keep(Ffmpeg, newer.Ffmpeg),
        Recorder = Keep(Recorder, newer.Recorder),
        Server = Keep(Server, newer.Server),
    };

    private static Dictionary<int, long> Keep(IReadOnlyDictionary<int, long> older, IReadOnlyDictionary<int, long> newer)
    {
        var merged = new Dictionary<int, long>(older);
        foreach (var (pid, ticks) in newer)
        {
            merged[pid] = ticks;
        }

        return merged;
    }
}
