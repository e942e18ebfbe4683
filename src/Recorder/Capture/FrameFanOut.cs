using Microsoft.Extensions.Logging;

namespace ServiceHall.Recorder.Capture;

/// <summary>Hands each analysis frame of a camera to every consumer in turn; a consumer that fails is logged and the frame goes on to the next.</summary>
public sealed partial class FrameFanOut(IReadOnlyList<IFrameConsumer> consumers, CameraStates states, ILogger logger)
{
    public async ValueTask DeliverAsync(CameraFrame frame, CancellationToken ct)
    {
        foreach (var consumer in consumers)
        {
            try
            {
                await consumer.OnFrameAsync(frame, ct);
            }
#pragma warning disable CA1031 // One bad frame or consumer is logged and skipped.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogConsumerFailed(logger, ex, frame.CameraId, consumer.GetType().Name);
            }
        }
    }

    /// <summary>
    /// What one session does with the frames its pipe skipped while the analysis was behind (called on the pipe's
    /// reading thread only). The Console hears of it with the next heartbeat; the log gets the first, then one line a
    /// minute at 1 fps, so an overloaded box says so without flooding it.
    /// </summary>
    public Action<long> SkipCounter(string cameraId)
    {
        var dropped = 0L;
        return _ =>
        {
            states.FrameSkipped(cameraId);
            dropped++;
            if (dropped == 1 || dropped % 60 == 0)
            {
                LogFramesDropped(logger, cameraId, dropped);
            }
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: analysis is behind its camera, {Dropped} frames skipped so far this session (the recording is not affected); the box may have more cameras than it can analyse")]
    private static partial void LogFramesDropped(ILogger logger, string cameraId, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: frame consumer {Consumer} failed; frame skipped")]
    private static partial void LogConsumerFailed(ILogger logger, Exception exception, string cameraId, string consumer);
}
