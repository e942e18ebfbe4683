using System.Diagnostics;
using OpenCvSharp;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The model and the labelled clips that <c>./hall.sh setup</c> puts under <c>.cache</c>, and real ffmpeg to cut frames from them.</summary>
public static class OccupancyFixture
{
    public static string ModelPath { get; } = Path.Combine(RepoRoot.Path, ".cache", "models", "selfie_segmentation.tflite");

    public static string Clips { get; } = Path.Combine(RepoRoot.Path, ".cache", "clips");

    public static string Clip(string name)
    {
        var path = Path.Combine(Clips, name);
        Assert.True(File.Exists(path), $"{path} is missing: run ./hall.sh setup");
        return path;
    }

    public static OccupancyOptions Options() => new() { ModelPath = ModelPath };

    /// <summary>One decoded frame of a clip at <paramref name="seconds"/>, cut by real ffmpeg.</summary>
    public static Mat Frame(string clip, double seconds)
    {
        using var dir = new TempDirectory();
        var png = dir.Combine("frame.png");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-y", "-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", Clip(clip), "-frames:v", "1", png })
        {
            start.ArgumentList.Add(a);
        }

        using var ffmpeg = Process.Start(start)!;
        var error = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        Assert.True(ffmpeg.ExitCode == 0, error);
        var mat = Cv2.ImRead(png);
        Assert.False(mat.Empty());
        return mat;
    }

    public static List<double[]> Seat { get; } = [[0.40, 0.36], [0.62, 0.36], [0.62, 0.83], [0.40, 0.83]];
}
