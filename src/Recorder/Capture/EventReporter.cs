using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Hands recording and camera-health events to the outbox (<see cref="IEventSink"/>) and logs each one.
/// Publishing never throws into the capture or recording loops: a failed hand-over is logged.
/// </summary>
public sealed partial class EventReporter(IEventSink sink, ILogger<EventReporter> logger)
{
    public async ValueTask ReportAsync(SiteEvent siteEvent, byte[]? snapshotJpeg, CancellationToken ct)
    {
        LogEvent(logger, siteEvent.CameraId, siteEvent);
        try
        {
            await sink.PublishAsync(siteEvent, snapshotJpeg, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The outbox's trouble must not stop recording.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPublishFailed(logger, ex, siteEvent.GetType().Name, siteEvent.CameraId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: {Event}")]
    private static partial void LogEvent(ILogger logger, string cameraId, SiteEvent @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Type} of camera {CameraId} not handed to the outbox")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string type, string cameraId);
}
