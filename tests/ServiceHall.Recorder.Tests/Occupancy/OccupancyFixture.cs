using System.Collections.Concurrent;
using System.Diagnostics;
using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The model and the labelled clips that <c>./hall.sh setup</c> puts under <c>.cache</c>, and real ffmpeg to cut frames from them.</summary>
public static class OccupancyFixture
{
    public static string ModelPath { get; } = Path.Combine(RepoRoot.Path, ".cache", "models", "selfie_segmentation.tflite");

    public static string FaceModelPath { get; } = Path.Combine(RepoRoot.Path, ".cache", "models", "face_detection_short_range.tflite");

    public static string PoseModelPath { get; } = Path.Combine(RepoRoot.Path, ".cache", "models", "pose_landmark_lite.tflite");

    /// <summary>The clip set; HALL_CLIPS points elsewhere while a new set is being built beside the shared one.</summary>
    public static string Clips { get; } = Environment.GetEnvironmentVariable("HALL_CLIPS") is { Length: > 0 } clips
        ? Path.GetFullPath(clips)
        : Path.Combine(RepoRoot.Path, ".cache", "clips");

    public static string Clip(string name)
    {
        var path = Path.Combine(Clips, name);
        Assert.True(File.Exists(path), $"{path} is missing: run ./hall.sh setup");
        return path;
    }

    /// <summary>The production configuration: segmentation and the second signal.</summary>
    public static OccupancyOptions Options() => new() { ModelPath = ModelPath, FaceModelPath = FaceModelPath, PoseModelPath = PoseModelPath };

    /// <summary>A Recorder without the second signal's model files.</summary>
    public static OccupancyOptions SingleSignalOptions() => new() { ModelPath = ModelPath, FaceModelPath = "", PoseModelPath = "" };

    /// <summary>One decoded frame of a clip at <paramref name="seconds"/>, cut by real ffmpeg.</summary>
    public static Mat Frame(string clip, double seconds)
    {
        using var dir = new TempDirectory();
        var png = dir.Combine("frame.png");
        Ffmpeg("-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", Clip(clip), "-frames:v", "1", png);
        var mat = Cv2.ImRead(png);
        Assert.False(mat.Empty());
        return mat;
    }

    private static readonly string[] QuietOverwrite = ["-v", "error", "-y"];

    /// <summary>Runs real ffmpeg quietly and fails the test with its message if it fails.</summary>
    public static void Ffmpeg(params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in QuietOverwrite.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var ffmpeg = Process.Start(start)!;
        var error = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        Assert.True(ffmpeg.ExitCode == 0, error);
    }

    public static List<double[]> Seat { get; } = [[0.40, 0.36], [0.62, 0.36], [0.62, 0.83], [0.40, 0.83]];

    /// <summary>A decoded frame as the capture hands it to consumers, from camera cam-1.</summary>
    public static CameraFrame ToFrame(Mat mat, DateTimeOffset at) => CameraFrame.FromBgr("cam-1", at, mat);
}

/// <summary>Records what occupancy hands the outbox; the outbox itself is tested with the uplink.</summary>
public sealed class RecordingSink : IEventSink
{
    public ConcurrentQueue<(SiteEvent Event, byte[]? Snapshot)> Published { get; } = new();

    public ValueTask PublishAsync(SiteEvent siteEvent, byte[]? snapshotJpeg, CancellationToken cancellationToken)
    {
        Published.Enqueue((siteEvent, snapshotJpeg));
        return ValueTask.CompletedTask;
    }
}
