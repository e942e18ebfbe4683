using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Console.Hubs;

/// <summary>Pure checks of what a Recorder sends; each returns the problem, or null when the message is fine.</summary>
public static class RecorderMessageRules
{
    public const int MaxCameras = 64;
    public const int MaxTextLength = 200;
    public const int MaxWindows = 256;
    public const int MaxStreams = 4;
    private const int MaxShortText = 32;

    /// <summary>Most holidays, make-up days or closed days one report may list.</summary>
    public const int MaxDates = 400;

    public static string? Check(HeartbeatSent? heartbeat)
    {
        if (heartbeat is null)
        {
            return "missing heartbeat";
        }

        if (heartbeat.SiteName is null || heartbeat.SiteName.Length > MaxTextLength || heartbeat.RecorderVersion is null || heartbeat.RecorderVersion.Length > 64)
        {
            return "site name or version missing or too long";
        }

        if (heartbeat.Cameras is null || heartbeat.Cameras.Count > MaxCameras)
        {
            return $"cameras missing or more than {MaxCameras}";
        }

        foreach (var camera in heartbeat.Cameras)
        {
            if (camera is null || !Slug.IsValid(camera.CameraId))
            {
                return "camera id is not a slug";
            }

            if ((camera.Name?.Length ?? 0) > MaxTextLength || (camera.Error?.Length ?? 0) > 2000)
            {
                return $"camera {camera.CameraId}: name or error too long";
            }

            if (camera.Width is < 0 or > 8192 || camera.Height is < 0 or > 8192)
            {
                return $"camera {camera.CameraId}: implausible resolution";
            }

            // At most a minute of frames at the highest analysis rate the Recorder accepts, with room to spare.
            if (camera.SkippedFramesLastMinute is < 0 or > 100_000)
            {
                return $"camera {camera.CameraId}: implausible skipped frame count";
            }

            if ((camera.AnalysisWarning?.Length ?? 0) > 2000 || (camera.AnalysisSource?.Length ?? 0) > MaxShortText)
            {
                return $"camera {camera.CameraId}: analysis warning or source too long";
            }

            if (CheckStreams(camera) is { } streamProblem)
            {
                return $"camera {camera.CameraId}: {streamProblem}";
            }
        }

        return null;
    }

    /// <summary>A camera has a main stream and at most a sub stream; each field within what a camera can report.</summary>
    private static string? CheckStreams(CameraHealthReported camera)
    {
        if (camera.Streams is null)
        {
            return null;
        }

        if (camera.Streams.Count > MaxStreams)
        {
            return $"more than {MaxStreams} streams";
        }

        foreach (var stream in camera.Streams)
        {
            if (stream is null || stream.Role is null || stream.State is null
                || stream.Role.Length > MaxShortText || stream.State.Length > MaxShortText || (stream.Codec?.Length ?? 0) > MaxShortText
                || (stream.Error?.Length ?? 0) > 2000)
            {
                return "a stream's role, state, codec or error is missing or too long";
            }

            if (stream.Width is < 0 or > 8192 || stream.Height is < 0 or > 8192
                || stream.KeyFrameIntervalSeconds is { } gop && (!double.IsFinite(gop) || gop is < 0 or > 3600)
                || stream.BitrateKbps is < 0 or > 1_000_000)
            {
                return "a stream's size, GOP or bitrate is implausible";
            }
        }

        return null;
    }

    public static string? Check(SnapshotTaken? snapshot, int maxBytes)
    {
        if (snapshot is null || !Slug.IsValid(snapshot.CameraId))
        {
            return "camera id is not a slug";
        }

        if (snapshot.Jpeg is null || snapshot.Jpeg.Length < 4 || snapshot.Jpeg.Length > maxBytes)
        {
            return $"JPEG missing or larger than {maxBytes} bytes";
        }

        if (snapshot.Jpeg[0] != 0xFF || snapshot.Jpeg[1] != 0xD8)
        {
            return "not a JPEG";
        }

        return snapshot.Width is <= 0 or > 8192 || snapshot.Height is <= 0 or > 8192 ? "implausible resolution" : null;
    }

    /// <summary>The problem with a Recorder's window report, or null when it is fine.</summary>
    public static string? Check(WindowsReported? report)
    {
        if (report?.Windows is null || report.Windows.Count > MaxWindows)
        {
            return $"windows missing or more than {MaxWindows}";
        }

        foreach (var w in report.Windows)
        {
            if (w is null || !Slug.IsValid(w.CameraId) || !Slug.IsValid(w.WindowId))
            {
                return "camera or window id is not a slug";
            }

            if ((w.Name?.Length ?? 0) > MaxTextLength || w.Departments is null || w.Departments.Count > 32
                || w.Departments.Any(d => d is null || d.Length is 0 or > 100))
            {
                return $"window {w.WindowId}: name or departments missing or too long";
            }

            if (w.Seat is null || w.Seat.Count > 64 || w.Seat.Any(p => p is not { Length: 2 } || p.Any(c => !double.IsFinite(c) || c is < 0 or > 1)))
            {
                return $"window {w.WindowId}: seat points must be [x, y] between 0 and 1";
            }

            if (w.ClosedDays is { Count: > MaxDates })
            {
                return $"window {w.WindowId}: more than {MaxDates} closed days";
            }

            if (w.ClosedDays is { } closed && ScheduleOptions.CheckDates(closed, $"window {w.WindowId}: closedDays").FirstOrDefault() is { } badDay)
            {
                return badDay;
            }
        }

        if (report.Schedule is { } hours)
        {
            if (hours.Hours is null || hours.WorkDays is null || hours.Holidays is null || hours.MakeUpDays is null
                || hours.Hours.Count > 16 || hours.Holidays.Count > MaxDates || hours.MakeUpDays.Count > MaxDates || hours.TimeZone is null)
            {
                return $"schedule: lists missing, more than 16 opening hours or more than {MaxDates} dates";
            }

            if (hours.ToOptions().Check("schedule").FirstOrDefault() is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
