using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Hubs;

/// <summary>Pure checks of what a Recorder sends; each returns the problem, or null when the message is fine.</summary>
public static class RecorderMessageRules
{
    public const int MaxCameras = 64;
    public const int MaxTextLength = 200;

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
}
