using ServiceHall.Console.Alerts;
using ServiceHall.Console.Monitor;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>
/// Raises <see cref="AlertTypes.EvidenceTampered"/> when a clip's file no longer has the hash the Console recorded:
/// the file was changed on the Console's disk, and whatever was asked of it (keep, package) is refused.
/// </summary>
public sealed partial class TamperAlarm(AlertEngine alerts, MonitorBroadcaster broadcaster, ISiteStore sites, TimeProvider time, ILogger<TamperAlarm> logger)
{
    public async Task RaiseAsync(ClipRecord clip, string expected, string actual, string noticedBy)
    {
        LogTampered(logger, clip.Id, clip.SiteId, clip.CameraId, expected, actual, noticedBy);
        var message = $"clip {clip.Id} of camera {clip.CameraId}: SHA-256 {actual} on disk, {expected} recorded; the file was changed";
        // One open alert per clip: a second look at the same changed file adds nothing.
        if (alerts.Raise(AlertTypes.EvidenceTampered, clip.SiteId, sites.Find(clip.SiteId)?.District ?? "", clip.Id, message, time.GetUtcNow()) is { } raised)
        {
            await broadcaster.Alert(raised);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Evidence tampered: clip {ClipId} of site {SiteId} camera {CameraId} hashes to {Actual}, {Expected} was recorded (noticed by {User})")]
    private static partial void LogTampered(ILogger logger, string clipId, string siteId, string cameraId, string expected, string actual, string user);
}
