using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Pipes;
using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;

namespace ServiceHall.Eval;

/// <summary>
/// CPU per camera-hour of our analysis (production path: decode at the analysis rate, crop, gated model) against a
/// naive one (decode every frame at full resolution, model on the whole frame at 5 fps), over the same clips.
/// CPU is this process plus its ffmpeg children, read from the kernel. The clips are joined (stream copy, before any
/// measurement) into one video that each pipeline reads as one camera session, as a Recorder reads a camera for hours:
/// probing and starting ffmpeg and the model are paid once per run, not once per 150 s clip. Both pipelines are
/// measured warm, as a Recorder that runs for weeks is: the whole session goes through ours and the first clip through
/// the naive one, untimed, before either is measured (a shorter warm-up left a second of tiered JIT compiling in the
/// first measured run). Then each is measured twice, and the figures are their means.
/// </summary>
public static class Bench
{
    private const double NaiveModelFps = 5;

    public static async Task<int> RunAsync(IReadOnlyList<ClipLabels> clips, OccupancyOptions options, CaptureOptions capture)
    {
        // One camera: the clips whose windows are the first clip's (the booth); clips of other rooms and cameras are left out.
        var camera = clips.Where(c => SameWindows(c, clips[0])).ToList();
        if (camera.Count < clips.Count)
        {
            await Console.Error.WriteLineAsync($"bench: {clips.Count - camera.Count} clips with other seats left out: {string.Join(", ", clips.Except(camera).Select(c => Path.GetFileName(c.LabelsPath)))}");
        }

        var folder = Directory.CreateTempSubdirectory("servicehall-bench-");
        try
        {
            var session = await JoinAsync(camera, folder.FullName);
            return await MeasureAsync(camera[0], session, camera.Count, options, capture);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(ClipLabels warmUp, ClipLabels session, int clipCount, OccupancyOptions options, CaptureOptions capture)
    {
        await ClipRunner.RunAsync(session, options, capture);
        using (var warmScorer = new PersonScorer(options.ResolvedModelPath))
        {
            await NaiveAsync(warmUp, warmScorer);
        }

        var ours = new List<(double Cpu, double Ffmpeg, double Jit)>();
        var naive = new List<double>();
        ClipRunner.Result? result = null;
        long naiveRuns = 0;

        async Task Ours()
        {
            var (before, beforeChildren, beforeJit) = (CpuSeconds(), ChildCpuSeconds(), JitSeconds());
            result = await ClipRunner.RunAsync(session, options, capture);
            ours.Add((CpuSeconds() - before, ChildCpuSeconds() - beforeChildren, JitSeconds() - beforeJit));
        }

        async Task Naive()
        {
            var before = CpuSeconds();
            using (var scorer = new PersonScorer(options.ResolvedModelPath))
            {
                naiveRuns = await NaiveAsync(session, scorer);
            }

            naive.Add(CpuSeconds() - before);
        }

        // Two rounds in the order ours, naive, naive, ours: a machine that speeds up or slows down during the run
        // (a shared VM does, by 10-25 % between runs minutes apart) weighs on both pipelines alike.
        await Ours();
        await Naive();
        await Naive();
        await Ours();

        var videoSeconds = result!.LengthSeconds;
        double PerHour(double cpu) => cpu / videoSeconds * 3600;
        var oursPerHour = PerHour(ours.Average(o => o.Cpu));
        var naivePerHour = PerHour(naive.Average());
        // Two cores, each busy 3600 CPU-seconds an hour at most.
        var camerasPerBox = (int)Math.Floor(2 * 3600 / oursPerHour);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clips={clipCount} video_s={videoSeconds:0} analysis_fps={capture.AnalysisFps:0.##} ours: {(result.KeyFramesOnly ? "key frames only" : "every frame decoded")}, model {result.ModelRuns}/{result.SeatFrames} seat frames, naive: model {naiveRuns} frames at {NaiveModelFps} fps"));
        for (var i = 0; i < ours.Count; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {i + 1} of 2: ours {PerHour(ours[i].Cpu):0.0} (ffmpeg and ffprobe {PerHour(ours[i].Ffmpeg):0.0}, this process {PerHour(ours[i].Cpu - ours[i].Ffmpeg):0.0}, of which JIT {PerHour(ours[i].Jit):0.0}), naive {PerHour(naive[i]):0.0} CPU-s per camera-hour"));
        }

        // Model runs per camera-hour, and the second signal's share of a core (its time in the models, one thread).
        var (face, pose, personTime) = result.PersonModelRuns;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model_runs_per_camera_hour: segmentation={result.ModelRuns / videoSeconds * 3600:0} face={face / videoSeconds * 3600:0} pose={pose / videoSeconds * 3600:0}{(result.SingleSignal ? " (single signal)" : "")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"second_signal_cpu_s_per_camera_hour={PerHour(personTime.TotalSeconds):0.0} second_signal_core_share={personTime.TotalSeconds / videoSeconds * 100:0.00}%"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours_cpu_s_per_camera_hour={oursPerHour:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"naive_cpu_s_per_camera_hour={naivePerHour:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analysis_speedup={naivePerHour / oursPerHour:0.0} cameras_per_box={camerasPerBox}"));
        return 0;
    }

    /// <summary>
    /// The clips joined end to end by stream copy (the concat demuxer; all clips come from one encoder setting) into
    /// one video with the windows of the first clip, which every clip must share: one camera.
    /// </summary>
    internal static async Task<ClipLabels> JoinAsync(IReadOnlyList<ClipLabels> clips, string folder)
    {
        var first = clips[0];
        if (clips.FirstOrDefault(c => !SameWindows(c, first)) is { } other)
        {
            throw new LabelsException(other.LabelsPath, $"the benchmark reads all clips as one camera, so their windows and seats must be those of {Path.GetFileName(first.LabelsPath)}");
        }

        var list = Path.Combine(folder, "clips.txt");
        await File.WriteAllLinesAsync(list, clips.Select(c => $"file '{c.VideoPath.Replace("'", @"'\''", StringComparison.Ordinal)}'"));
        var joined = Path.Combine(folder, "session.mp4");
        await FFMpegArguments.FromFileInput(list, verifyExists: true, o => o.WithCustomArgument("-f concat -safe 0"))
            .OutputToFile(joined, overwrite: true, o => o.WithCustomArgument("-map 0:v:0 -c copy"))
            .ProcessAsynchronously();
        return first with { VideoPath = joined };
    }

    private static bool SameWindows(ClipLabels a, ClipLabels b) =>
        a.Windows.Select(w => w.Id).SequenceEqual(b.Windows.Select(w => w.Id))
        && a.Windows.Zip(b.Windows).All(p => p.First.Seat.SelectMany(x => x).SequenceEqual(p.Second.Seat.SelectMany(x => x)));

    private static async Task<long> NaiveAsync(ClipLabels clip, PersonScorer scorer)
    {
        var analysis = await FFProbe.AnalyseAsync(clip.VideoPath);
        var video = analysis.PrimaryVideoStream!;
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        var frameRate = video.AverageFrameRate > 0 ? video.AverageFrameRate : 25;
        var runs = 0L;
        var nextModelAt = 0.0;

        ValueTask OnFrame(long index, byte[] data, CancellationToken ct)
        {
            if (index / frameRate + 1e-9 >= nextModelAt)
            {
                nextModelAt += 1 / NaiveModelFps;
                using var mat = Mat.FromPixelData(height, width, MatType.CV_8UC3, data);
                using var mask = scorer.Segment(mat);
                runs++;
            }

            return ValueTask.CompletedTask;
        }

        // The same pipe reader as ours, so the comparison is of the analysis, not of the plumbing.
        Task Read(Stream stdout, CancellationToken ct) =>
            FramePipe.ReadAsync(stdout, width * height * 3, dropBeyond: null, OnFrame, null, ct);

        await FFMpegArguments.FromFileInput(clip.VideoPath)
            .OutputToPipe(new StreamPipeSink(Read), o => o.WithCustomArgument("-map 0:v:0 -an -sn -dn -pix_fmt bgr24 -f rawvideo"))
            .ProcessAsynchronously();
        return runs;
    }

    /// <summary>Time this process has spent compiling methods, to show that the measured runs are warm.</summary>
    private static double JitSeconds() => System.Runtime.JitInfo.GetCompilationTime().TotalSeconds;

    /// <summary>CPU seconds of this process and of its children that have exited.</summary>
    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + ChildCpuSeconds();

    /// <summary>CPU seconds of this process's children that have exited (ffmpeg, ffprobe), from /proc/self/stat.</summary>
    private static double ChildCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are indexes 13 and 14.
        const double ticksPerSecond = 100;
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / ticksPerSecond;
    }
}
