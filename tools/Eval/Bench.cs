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
/// CPU is this process plus its ffmpeg children, read from the kernel. Both pipelines are measured warm: the first
/// clip goes through ours once, untimed, before either is measured (the naive one runs second, on warm code anyway).
/// Session start-up (ffprobe, ffmpeg's start) is paid per clip, i.e. 24 times per hour of video instead of once.
/// </summary>
public static class Bench
{
    private const double NaiveModelFps = 5;

    public static async Task<int> RunAsync(IReadOnlyList<ClipLabels> clips, OccupancyOptions options, double fps, KeyFrameDecoding decoding)
    {
        await ClipRunner.RunAsync(clips[0], options, fps, decoding);
        var videoSeconds = 0.0;
        var before = CpuSeconds();
        var beforeChildren = ChildCpuSeconds();
        long runs = 0, seatFrames = 0, keyFrameClips = 0;
        foreach (var clip in clips)
        {
            var result = await ClipRunner.RunAsync(clip, options, fps, decoding);
            videoSeconds += result.LengthSeconds;
            runs += result.ModelRuns;
            seatFrames += result.SeatFrames;
            keyFrameClips += result.KeyFramesOnly ? 1 : 0;
        }

        var ours = CpuSeconds() - before;
        var oursFfmpeg = ChildCpuSeconds() - beforeChildren;

        before = CpuSeconds();
        var naiveRuns = 0L;
        using (var scorer = new PersonScorer(options.ResolvedModelPath))
        {
            foreach (var clip in clips)
            {
                naiveRuns += await NaiveAsync(clip, scorer);
            }
        }

        var naive = CpuSeconds() - before;
        var oursPerHour = ours / videoSeconds * 3600;
        var naivePerHour = naive / videoSeconds * 3600;
        var speedup = naive / ours;
        // Two cores, each busy 3600 CPU-seconds an hour at most.
        var camerasPerBox = (int)Math.Floor(2 * 3600 / oursPerHour);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"clips={clips.Count} video_s={videoSeconds:0} analysis_fps={fps:0.##} ours: key frames only in {keyFrameClips} clips, model {runs}/{seatFrames} seat frames, naive: model {naiveRuns} frames at {NaiveModelFps} fps"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours: ffmpeg and ffprobe {oursFfmpeg / videoSeconds * 3600:0.0} s per camera-hour, this process (crop, gate, model, tracker, runtime) {(ours - oursFfmpeg) / videoSeconds * 3600:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours_cpu_s_per_camera_hour={oursPerHour:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"naive_cpu_s_per_camera_hour={naivePerHour:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analysis_speedup={speedup:0.0} cameras_per_box={camerasPerBox}"));
        return 0;
    }

    private static async Task<long> NaiveAsync(ClipLabels clip, PersonScorer scorer)
    {
        var analysis = await FFProbe.AnalyseAsync(clip.VideoPath);
        var video = analysis.PrimaryVideoStream!;
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        var frameRate = video.AverageFrameRate > 0 ? video.AverageFrameRate : 25;
        var runs = 0L;
        var frames = 0L;
        var nextModelAt = 0.0;

        async Task Read(Stream stdout, CancellationToken ct)
        {
            var buffer = new byte[width * height * 3];
            while (await stdout.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct) == buffer.Length)
            {
                var t = frames++ / frameRate;
                if (t + 1e-9 < nextModelAt)
                {
                    continue;
                }

                nextModelAt += 1 / NaiveModelFps;
                using var mat = Mat.FromPixelData(height, width, MatType.CV_8UC3, buffer);
                using var mask = scorer.Segment(mat);
                runs++;
            }
        }

        await FFMpegArguments.FromFileInput(clip.VideoPath)
            .OutputToPipe(new StreamPipeSink(Read), o => o.WithCustomArgument("-map 0:v:0 -an -sn -dn -pix_fmt bgr24 -f rawvideo"))
            .ProcessAsynchronously();
        return runs;
    }

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
