using System.Globalization;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Where segments live: ffmpeg writes <c>{camera}/incoming/{session}_{n}.ts</c>; once finished and probed, a segment
/// moves to <c>{camera}/{yyyy-MM-dd}/{camera}_{yyyyMMddTHHmmssfff}Z.ts</c>, named by camera and UTC start.
/// </summary>
public static class SegmentPaths
{
    public const string Extension = ".ts";
    public const string Incoming = "incoming";
    private const string StampFormat = "yyyyMMdd'T'HHmmssfff";

    public static string CameraDirectory(string root, string cameraId) => Path.Combine(root, cameraId);

    public static string IncomingDirectory(string root, string cameraId) => Path.Combine(root, cameraId, Incoming);

    /// <summary>The ffmpeg segment pattern of one capture session.</summary>
    public static string IncomingPattern(string root, string cameraId, long sessionId) =>
        Path.Combine(IncomingDirectory(root, cameraId), string.Create(CultureInfo.InvariantCulture, $"{sessionId}_%06d{Extension}"));

    /// <summary>Session and sequence number of a file ffmpeg wrote; false for anything else.</summary>
    public static bool TryParseIncoming(string fileName, out long sessionId, out int index)
    {
        sessionId = 0;
        index = 0;
        var name = Path.GetFileNameWithoutExtension(fileName);
        var parts = name.Split('_');
        return Path.GetExtension(fileName) == Extension && parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out sessionId)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    /// <summary>Path of a finished segment, relative to the recordings root.</summary>
    public static string FinalRelativePath(string cameraId, DateTimeOffset start)
    {
        var utc = start.ToUniversalTime();
        return Path.Combine(
            cameraId,
            utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            $"{cameraId}_{utc.ToString(StampFormat, CultureInfo.InvariantCulture)}Z{Extension}");
    }

    /// <summary>Camera and UTC start from a finished segment's file name; false for anything else.</summary>
    public static bool TryParseFinal(string fileName, out string cameraId, out DateTimeOffset start)
    {
        cameraId = "";
        start = default;
        var name = Path.GetFileName(fileName);
        if (!name.EndsWith("Z" + Extension, StringComparison.Ordinal))
        {
            return false;
        }

        var cut = name.LastIndexOf('_');
        if (cut <= 0)
        {
            return false;
        }

        var stamp = name[(cut + 1)..^(Extension.Length + 1)];
        if (!DateTime.TryParseExact(stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        cameraId = name[..cut];
        start = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }
}
