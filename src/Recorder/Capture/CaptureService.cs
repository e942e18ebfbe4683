using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Live;
using ServiceHall.Recorder.Recording;

namespace ServiceHall.Recorder.Capture;

/// <summary>Runs one <see cref="CameraCapture"/> per configured camera until shutdown.</summary>
public sealed class CaptureService(
    IOptions<CaptureOptions> options,
    IEnumerable<IFrameConsumer> consumers,
    CameraStates states,
    TimeProvider time,
    ILoggerFactory loggers,
    IOptions<RecordingOptions> recording,
    RecordingSessions sessions,
    EventReporter events,
    LiveOutputs live) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<CameraCapture>();
        var consumerList = consumers.ToList();
        var captures = options.Value.Cameras
            .Select(camera => new CameraCapture(camera, options.Value, consumerList, states, time, logger, recording.Value.Enabled ? sessions : null, events, live))
            .Select(capture => Task.Run(() => capture.RunAsync(stoppingToken), CancellationToken.None));
        return Task.WhenAll(captures);
    }
}
