using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Cameras;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Keeps one camera's stream sessions running, forever: probe, run (<see cref="StreamSession"/>), reconnect with
/// backoff; reports the camera down and up again, and hands each session's frames to the consumers.
/// </summary>
public sealed partial class CameraCapture(
    CameraOptions camera,
    CaptureOptions options,
    IReadOnlyList<IFrameConsumer> consumers,
    CameraStates states,
    TimeProvider time,
    ILogger logger,
    IRecordingOutput? recording = null,
    EventReporter? events = null,
    ILiveOutput? live = null)
{
    private readonly FrameFanOut _fanOut = new(consumers, states, logger);

    // null until the first session ends or delivers: the first outage after start is reported, repeats are not.
    private bool? _up;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // A camera that has not delivered a frame yet waits one step in (up to twice the initial delay); one that worked starts again at the shortest.
        var retry = new RetryBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, time, firstAttempt: 1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var frames = 0L;
            string outcome;
            IRecordingRun? run = null;
            try
            {
                // The same ffmpeg process records (stream copy) and decodes the analysis frames: one RTSP session per camera.
                run = recording?.Begin(camera.Id);
                var result = await RunSessionAsync(run, stoppingToken);
                frames = result.Signs;
                if (result.Ending == SessionEnding.RecordingResumes)
                {
                    // The camera never went away: start again at once, now with the recording.
                    run?.End(null);
                    LogRecordingResumed(logger, camera.Id);
                    continue;
                }

                outcome = result.Ending == SessionEnding.Stalled ? $"no frame for {options.StallTimeout.TotalSeconds:0} s" : "stream ended";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                run?.End(null);
                return;
            }
#pragma warning disable CA1031 // A camera failure of any kind must not end the capture loop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = ex.Message;
            }

            // ffmpeg quotes its input in its messages: the reason goes to the log, the heartbeat and the Console without the credentials.
            outcome = CaptureFailure.Classify(outcome) ?? RtspUrl.Redact(outcome);
            run?.End($"camera lost: {outcome}");
            await MarkDownAsync(outcome);
            if (frames > 0)
            {
                retry.Reset();
            }

            var delay = retry.Next();
            LogCameraLost(logger, camera.Id, outcome, delay.TotalSeconds);
            if (!await retry.WaitAsync(delay, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task<SessionResult> RunSessionAsync(IRecordingRun? run, CancellationToken stoppingToken)
    {
        var stream = await StreamProbe.ProbeAsync(camera.Url, options, fullDecode: false, stoppingToken);
        ReportGop(stream.Gop);
        var (width, height, interval) = (stream.Width, stream.Height, stream.Gop.FrameInterval);
        var frames = 0L;
        DateTimeOffset? firstFrameAt = null;

        async ValueTask OnFrame(long index, byte[] data, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            // Video time counts every frame on the pipe, also those dropped while the analysis was behind.
            firstFrameAt ??= now - index * interval;
            frames++;
            if (frames == 1)
            {
                // The stream clock's anchor, before the consumers take their time over the frame.
                run?.MarkFirstFrame(firstFrameAt.Value);
            }

            await _fanOut.DeliverAsync(new CameraFrame(camera.Id, firstFrameAt.Value + index * interval, width, height, data), ct);

            // Online after the consumers have the frame, so the report it triggers can carry a snapshot.
            if (frames == 1)
            {
                await MarkUpAsync(width, height, now, ct);
            }
        }

        var session = new StreamSession(camera.Id, camera.Url, stream, options, time, logger, events);
        var outputs = new SessionOutputs(AnalysisFrames: true, run, recording?.SegmentLength ?? TimeSpan.Zero, live?.Begin(camera.Id));
        return await session.RunAsync(outputs, OnFrame, _fanOut.SkipCounter(camera.Id), _ => { }, stoppingToken);
    }

    private void ReportGop(GopDecision gop)
    {
        states.SetGop(camera.Id, gop);
        if (gop.Warning is { } warning)
        {
            LogEveryFrameDecoded(logger, camera.Id, warning);
        }
        else
        {
            LogGop(logger, camera.Id, gop.KeyFrameInterval?.TotalSeconds, gop.KeyFramesOnly);
        }
    }

    private async ValueTask MarkUpAsync(int width, int height, DateTimeOffset at, CancellationToken ct)
    {
        states.MarkOnline(camera.Id, width, height);
        LogCameraUp(logger, camera.Id, width, height);
        if (_up == false && events is not null)
        {
            await events.ReportAsync(new CameraRegained { CameraId = camera.Id, OccurredAt = at, Width = width, Height = height }, null, ct);
        }

        _up = true;
    }

    private async ValueTask MarkDownAsync(string reason)
    {
        states.MarkDown(camera.Id, reason);
        if (_up != false && events is not null)
        {
            await events.ReportAsync(new CameraLost { CameraId = camera.Id, OccurredAt = time.GetUtcNow(), Reason = reason }, null, CancellationToken.None);
        }

        _up = false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: key-frame interval {Gop} s; key frames only: {KeyFramesOnly}")]
    private static partial void LogGop(ILogger logger, string cameraId, double? gop, bool keyFramesOnly);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: {Warning}; key frames only: False")]
    private static partial void LogEveryFrameDecoded(ILogger logger, string cameraId, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: up, {Width}x{Height}")]
    private static partial void LogCameraUp(ILogger logger, string cameraId, int width, int height);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: down ({Reason}); retrying in {DelaySeconds:0.0} s")]
    private static partial void LogCameraLost(ILogger logger, string cameraId, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: restarting its ffmpeg to resume recording")]
    private static partial void LogRecordingResumed(ILogger logger, string cameraId);
}
