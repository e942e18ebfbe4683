using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Runs one <see cref="CameraCapture"/> per configured camera until shutdown. The recording and live outputs are
/// registered by their features, which also say when they are off.
/// </summary>
public sealed class CaptureService(
    IOptions<CaptureOptions> options,
    IEnumerable<IFrameConsumer> consumers,
    CameraStates states,
    TimeProvider time,
    ILoggerFactory loggers,
    EventReporter events,
    IRecordingOutput recording,
    ILiveOutput live) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<CameraCapture>();
        var consumerList = consumers.ToList();
        var captures = options.Value.Cameras
            .Select(camera => new CameraCapture(camera, options.Value, consumerList, states, time, logger, recording, events, live))
            .Select(capture => Task.Run(() => capture.RunAsync(stoppingToken), CancellationToken.None));
        return Task.WhenAll(captures);
    }
}
