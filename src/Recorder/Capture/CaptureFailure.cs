namespace ServiceHall.Recorder.Capture;

/// <summary>Turns what ffmpeg and ffprobe print about a failed camera into the reason a supervisor can act on.</summary>
public static class CaptureFailure
{
    /// <summary>The reason of a camera that refused the credentials; never names them.</summary>
    public const string AuthenticationFailed = "authentication failed (the camera refused the user name or password)";

    /// <summary>
    /// A known cause in ffmpeg's text (any number of lines), or null. A wrong RTSP password makes ffmpeg print
    /// "method DESCRIBE failed: 401 Unauthorized" and "Server returned 401 Unauthorized (authorization failed)".
    /// </summary>
    public static string? Classify(string ffmpegText) =>
        ffmpegText.Contains("401 Unauthorized", StringComparison.OrdinalIgnoreCase)
        || ffmpegText.Contains("Server returned 401", StringComparison.OrdinalIgnoreCase)
            ? AuthenticationFailed
            : null;
}
