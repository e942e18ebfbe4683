using System.ComponentModel.DataAnnotations;
using ServiceHall.Recorder.Cameras;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>The hall's cameras and how frames are pulled from them (section <c>Capture</c>).</summary>
public sealed class CaptureOptions
{
    public const string Section = "Capture";

    /// <summary>Decoded frames per second handed to analysis and snapshots.</summary>
    public double AnalysisFps { get; set; } = 1;

    /// <summary>No frame for this long while ffmpeg runs counts as the camera lost.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Decode only key frames for analysis (the recording is stream copy either way). Frames then come at the GOP
    /// rate (never above <see cref="AnalysisFps"/>), so <see cref="KeyFrameDecoding.Auto"/> uses it only when every
    /// probed key-frame interval is at most <see cref="MaxKeyFrameInterval"/>.
    /// </summary>
    public KeyFrameDecoding DecodeKeyFramesOnly { get; set; } = KeyFrameDecoding.Auto;

    /// <summary>The longest GOP analysed from key frames only in auto mode: 4 s means 0.25 analysed frames a second at worst.</summary>
    public TimeSpan MaxKeyFrameInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>ffmpeg binary; a bare name is looked up on PATH.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    public List<CameraOptions> Cameras { get; set; } = [];
}

/// <summary>When ffmpeg skips the frames between key frames while decoding for analysis.</summary>
public enum KeyFrameDecoding
{
    /// <summary>When the camera's probed GOP keeps up with the analysis rate.</summary>
    Auto,

    Always,

    Never,
}

/// <summary>One camera of the hall (its stream keys besides <see cref="Url"/> are in CameraStreamSettings.cs).</summary>
public sealed partial class CameraOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>rtsp:// URL of the camera's main stream, the recorded one (a file path also works, for tests and benchmarks); built from <see cref="Vendor"/> when that is set.</summary>
    public string Url { get; set; } = "";

    public List<WindowOptions> Windows { get; set; } = [];
}

/// <summary>One service window seen by a camera.</summary>
public sealed class WindowOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Seat polygon in frame-normalised coordinates: [[x,y], ...], x right, y down, 0..1.</summary>
    public List<double[]> Seat { get; set; } = [];

    // Occupancy settings of the window; checked by Occupancy.OccupancyOptionsValidator.

    /// <summary>Departments served here (a comprehensive window serves several).</summary>
    public List<string> Departments { get; set; } = [];

    /// <summary>People needed at the seat for it to count as staffed.</summary>
    public int Headcount { get; set; } = 1;

    public TimeSpan EntryDebounce { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ExitDebounce { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Away this long while open makes the window Unstaffed (the alert).</summary>
    public TimeSpan LeaveThreshold { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A clerk at the seat who does not move for this long while open is inactive (睡岗: the ClerkInactive alert);
    /// unset, <c>Occupancy:InactiveThreshold</c> applies.
    /// </summary>
    public TimeSpan? InactiveThreshold { get; set; }

    /// <summary>
    /// Whether a stay must be confirmed by the second signal (a face, or a pose over a held face). False judges the
    /// window by segmentation alone: for a camera that only ever sees its clerks from behind, whom the second signal
    /// never confirms; an animal, a coat or a bag on the seat is then no longer told from a clerk.
    /// </summary>
    public bool PersonCheck { get; set; } = true;

    /// <summary>Local dates (yyyy-MM-dd) this window is closed although the hall is open.</summary>
    public List<string> ClosedDays { get; set; } = [];

    /// <summary>A copy to change at run time (a seat moved at the Console) while the options as bound stay as the settings say.</summary>
    public WindowOptions Copy()
    {
        var copy = (WindowOptions)MemberwiseClone();
        copy.Seat = [.. Seat.Select(p => (double[])p.Clone())];
        copy.Departments = [.. Departments];
        copy.ClosedDays = [.. ClosedDays];
        return copy;
    }
}

/// <summary>Checks <see cref="CaptureOptions"/> and names the offending key in every message.</summary>
public sealed class CaptureOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<CaptureOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, CaptureOptions options)
    {
        var errors = Check(options).ToList();
        return errors.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }

    public static IEnumerable<string> Check(CaptureOptions options, Func<string, string?>? environment = null)
    {
        if (options.AnalysisFps is <= 0 or > 30)
        {
            yield return $"Capture:AnalysisFps {options.AnalysisFps} must be above 0 and at most 30.";
        }

        if (!Enum.IsDefined(options.DecodeKeyFramesOnly))
        {
            yield return $"Capture:DecodeKeyFramesOnly '{options.DecodeKeyFramesOnly}' must be auto, always or never.";
        }

        if (options.StallTimeout < TimeSpan.FromSeconds(2))
        {
            yield return $"Capture:StallTimeout {options.StallTimeout} must be at least 00:00:02.";
        }

        if (options.MaxKeyFrameInterval <= TimeSpan.Zero)
        {
            yield return $"Capture:MaxKeyFrameInterval {options.MaxKeyFrameInterval} must be above 0.";
        }
        else if (options.StallTimeout < 2 * options.MaxKeyFrameInterval)
        {
            // In key-frame mode a frame comes once a GOP: one late key frame must not count as the camera lost.
            yield return $"Capture:StallTimeout {options.StallTimeout} must be at least twice Capture:MaxKeyFrameInterval ({options.MaxKeyFrameInterval}).";
        }

        if (options.ReconnectInitialDelay <= TimeSpan.Zero || options.ReconnectMaxDelay < options.ReconnectInitialDelay)
        {
            yield return "Capture:ReconnectInitialDelay must be positive and not above Capture:ReconnectMaxDelay.";
        }

        if (options.Cameras.Count == 0)
        {
            yield return "Capture:Cameras must list at least one camera.";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Cameras.Count; i++)
        {
            var camera = options.Cameras[i];
            var key = $"Capture:Cameras:{i}";
            if (!Slug.IsValid(camera.Id))
            {
                yield return $"{key}:Id '{camera.Id}' must be a slug (lower-case letters, digits and '-').";
            }
            else if (!seen.Add(camera.Id))
            {
                yield return $"{key}:Id '{camera.Id}' is used by another camera.";
            }

            foreach (var error in CameraAddressing.Resolve(camera.Address, key, environment ?? Environment.GetEnvironmentVariable).Errors)
            {
                yield return error;
            }

            foreach (var error in CheckWindows(camera.Windows, key))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<string> CheckWindows(List<WindowOptions> windows, string cameraKey)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            var key = $"{cameraKey}:Windows:{w}";
            if (!Slug.IsValid(window.Id))
            {
                yield return $"{key}:Id '{window.Id}' must be a slug.";
            }
            else if (!seen.Add(window.Id))
            {
                yield return $"{key}:Id '{window.Id}' is used by another window of this camera.";
            }

            if (window.Seat.Count < 3)
            {
                yield return $"{key}:Seat needs at least 3 points.";
            }

            for (var p = 0; p < window.Seat.Count; p++)
            {
                var point = window.Seat[p];
                if (point is null || point.Length != 2 || point.Any(c => double.IsNaN(c) || c < 0 || c > 1))
                {
                    yield return $"{key}:Seat:{p} must be [x, y] with both between 0 and 1.";
                }
            }
        }
    }
}
