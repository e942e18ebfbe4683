using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Hands recording and camera-health events to the outbox (<see cref="IEventSink"/>) and logs each one.
/// Publishing never throws into the capture or recording loops: a failed hand-over is logged.
/// </summary>
public sealed partial class EventReporter(IServiceProvider services, ILogger<EventReporter> logger)
{
    // Resolved late and optionally: the outbox is its own feature, and the Recorder records with or without it.
    private readonly Lazy<IEventSink?> _sink = new(services.GetService<IEventSink>);

    public async ValueTask ReportAsync(SiteEvent siteEvent, byte[]? snapshotJpeg, CancellationToken ct)
    {
        LogEvent(logger, siteEvent.CameraId, siteEvent);
        if (_sink.Value is not { } sink)
        {
            return;
        }

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
