using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// How seats are judged (section <c>Occupancy</c>). Thresholds come from the harness calibration recorded in
/// <c>tools/Eval/CALIBRATION.md</c>; per-window timings live with each window under <c>Capture:Cameras:N:Windows:M</c>.
/// </summary>
public sealed class OccupancyOptions
{
    public const string Section = "Occupancy";

    /// <summary>MediaPipe selfie segmentation (.tflite) fetched and hash-checked by <c>./hall.sh setup</c>.</summary>
    public string ModelPath { get; set; } = "models/selfie_segmentation.tflite";

    /// <summary>
    /// MediaPipe's short-range face detector (.tflite), half of the second signal that tells a person from a dog, a coat or
    /// a monitor. Missing (with the pose model also missing), the Recorder judges by segmentation alone and says so.
    /// </summary>
    public string FaceModelPath { get; set; } = "models/face_detection_short_range.tflite";

    /// <summary>MediaPipe's pose landmark model (lite, .tflite), the second signal's other half: a clerk whose face is not seen.</summary>
    public string PoseModelPath { get; set; } = "models/pose_landmark_lite.tflite";

    /// <summary>A face at least this likely, centred inside the seat polygon, is a person there.</summary>
    public double FaceThreshold { get; set; } = 0.685;

    /// <summary>Without such a face, a pose-presence score at least this high is a person there.</summary>
    public double PoseThreshold { get; set; } = 0.9;

    /// <summary>A confirmed person is re-checked by the second signal at least this often (video time).</summary>
    public TimeSpan PersonConfirmInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A mask pixel above this is a person pixel.</summary>
    public double MaskThreshold { get; set; } = 0.5;

    /// <summary>Share of the seat polygon's pixels that must be person pixels for "someone is there".</summary>
    public double PresenceThreshold { get; set; } = 0.27;

    /// <summary>The verdict uses the median score of this many recent frames (1 turns smoothing off); frames more than 1.5 s apart (key frames of a GOP of 2 s or more) are judged each alone.</summary>
    public int SmoothingFrames { get; set; } = 3;

    /// <summary>Margin around the seat's bounding box, as a share of its size, so the model sees the whole body.</summary>
    public double CropMargin { get; set; } = 0.25;

    /// <summary>Mean absolute grey-level change (0..255) of the downscaled crop that wakes the model.</summary>
    public double ChangeThreshold { get; set; } = 2.5;

    /// <summary>The change that wakes the model after a decisive score (clearly someone, or clearly nobody).</summary>
    public double DecisiveChangeThreshold { get; set; } = 10;

    /// <summary>The model runs at least this often (video time) even when nothing changed.</summary>
    public TimeSpan ConfirmInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A clerk at a staffed window who does not move for this long while open raises ClerkInactive (a window's own <c>InactiveThreshold</c> wins).</summary>
    public TimeSpan InactiveThreshold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A seat thumbnail pixel that changed by more than this many grey levels (0..255) moved; below it is sensor noise and compression.</summary>
    public double ActivityNoiseLevel { get; set; } = 12;

    /// <summary>The share of seat thumbnail pixels that must move for the clerk to count as active.</summary>
    public double ActivityShare { get; set; } = 0.005;

    /// <summary>A hole between two frames longer than this is an Unknown stretch, never absence.</summary>
    public TimeSpan MaxFrameGap { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>With no frame at all for this long (wall time), the camera's windows become Unknown.</summary>
    public TimeSpan FrameTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The hall's opening hours; its time zone is <c>Site:TimeZone</c>.</summary>
    public ScheduleOptions Schedule { get; set; } = new();

    public string ResolvedModelPath => Path.GetFullPath(ModelPath, AppContext.BaseDirectory);

    public string ResolvedFaceModelPath => Resolve(FaceModelPath);

    public string ResolvedPoseModelPath => Resolve(PoseModelPath);

    /// <summary>An empty path turns that model off.</summary>
    private static string Resolve(string path) => string.IsNullOrWhiteSpace(path) ? "" : Path.GetFullPath(path, AppContext.BaseDirectory);
}

/// <summary>Checks <see cref="OccupancyOptions"/> and the windows' occupancy settings, naming each key.</summary>
public sealed class OccupancyOptionsValidator(IOptions<CaptureOptions> capture) : IValidateOptions<OccupancyOptions>
{
    public ValidateOptionsResult Validate(string? name, OccupancyOptions options)
    {
        var errors = Check(options, capture.Value).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IEnumerable<string> Check(OccupancyOptions options, CaptureOptions capture)
    {
        const string key = OccupancyOptions.Section;
        var anyWindow = capture.Cameras.Any(c => c.Windows.Count > 0);
        if (anyWindow && !File.Exists(options.ResolvedModelPath))
        {
            yield return $"{key}:ModelPath '{options.ResolvedModelPath}' does not exist; run ./hall.sh setup or point it at selfie_segmentation.tflite.";
        }

        foreach (var (name, path) in new[] { ("FaceModelPath", options.ResolvedFaceModelPath), ("PoseModelPath", options.ResolvedPoseModelPath) })
        {
            // Missing is allowed (segmentation alone, logged); a file that is there must load, not fail at the first frame.
            if (anyWindow && (Directory.Exists(path) || (File.Exists(path) && !Loads(path))))
            {
                yield return $"{key}:{name} '{path}' is not a model OpenCV can load (truncated?); run ./hall.sh setup, or set it to \"\" to judge by segmentation alone.";
            }
        }

        if (options.FaceThreshold is <= 0 or >= 1 || options.PoseThreshold is <= 0 or >= 1)
        {
            yield return $"{key}:FaceThreshold {options.FaceThreshold} and {key}:PoseThreshold {options.PoseThreshold} must be between 0 and 1.";
        }

        if (options.PersonConfirmInterval <= TimeSpan.Zero)
        {
            yield return $"{key}:PersonConfirmInterval must be positive.";
        }

        if (options.MaskThreshold is <= 0 or >= 1)
        {
            yield return $"{key}:MaskThreshold {options.MaskThreshold} must be between 0 and 1.";
        }

        if (options.PresenceThreshold is <= 0 or >= 1)
        {
            yield return $"{key}:PresenceThreshold {options.PresenceThreshold} must be between 0 and 1.";
        }

        if (options.SmoothingFrames is < 1 or > 15)
        {
            yield return $"{key}:SmoothingFrames {options.SmoothingFrames} must be between 1 and 15.";
        }

        if (options.CropMargin is < 0 or > 2)
        {
            yield return $"{key}:CropMargin {options.CropMargin} must be between 0 and 2.";
        }

        if (options.ChangeThreshold < 0)
        {
            yield return $"{key}:ChangeThreshold {options.ChangeThreshold} must not be negative.";
        }

        if (options.DecisiveChangeThreshold < options.ChangeThreshold)
        {
            yield return $"{key}:DecisiveChangeThreshold {options.DecisiveChangeThreshold} must not be below {key}:ChangeThreshold {options.ChangeThreshold}.";
        }

        if (options.InactiveThreshold <= TimeSpan.Zero)
        {
            yield return $"{key}:InactiveThreshold {options.InactiveThreshold} must be positive.";
        }

        if (options.ActivityNoiseLevel is < 0 or >= 255 || options.ActivityShare is <= 0 or >= 1)
        {
            yield return $"{key}:ActivityNoiseLevel {options.ActivityNoiseLevel} must be between 0 and 255 and {key}:ActivityShare {options.ActivityShare} between 0 and 1.";
        }

        if (options.ConfirmInterval <= TimeSpan.Zero || options.MaxFrameGap <= TimeSpan.Zero || options.FrameTimeout <= TimeSpan.Zero)
        {
            yield return $"{key}:ConfirmInterval, {key}:MaxFrameGap and {key}:FrameTimeout must be positive.";
        }

        foreach (var error in options.Schedule.Check($"{key}:Schedule"))
        {
            yield return error;
        }

        for (var c = 0; c < capture.Cameras.Count; c++)
        {
            for (var w = 0; w < capture.Cameras[c].Windows.Count; w++)
            {
                foreach (var error in CheckWindow(capture.Cameras[c].Windows[w], $"{CaptureOptions.Section}:Cameras:{c}:Windows:{w}"))
                {
                    yield return error;
                }
            }
        }
    }

    private static bool Loads(string path)
    {
        try
        {
            using var net = ModelNet.Load(path, "second signal's");
            return true;
        }
        catch (Exception ex) when (ex is OpenCvSharp.OpenCVException or InvalidOperationException)
        {
            return false;
        }
    }

    private static IEnumerable<string> CheckWindow(WindowOptions window, string key)
    {
        if (window.Headcount is < 1 or > 20)
        {
            yield return $"{key}:Headcount {window.Headcount} must be between 1 and 20.";
        }

        if (window.EntryDebounce < TimeSpan.Zero || window.ExitDebounce < TimeSpan.Zero)
        {
            yield return $"{key}:EntryDebounce and {key}:ExitDebounce must not be negative.";
        }

        if (window.InactiveThreshold is { } inactive && inactive <= TimeSpan.Zero)
        {
            yield return $"{key}:InactiveThreshold {inactive} must be positive.";
        }

        if (window.LeaveThreshold < window.ExitDebounce)
        {
            yield return $"{key}:LeaveThreshold {window.LeaveThreshold} must not be shorter than ExitDebounce {window.ExitDebounce}.";
        }

        foreach (var error in ScheduleOptions.CheckDates(window.ClosedDays, $"{key}:ClosedDays"))
        {
            yield return error;
        }
    }
}
