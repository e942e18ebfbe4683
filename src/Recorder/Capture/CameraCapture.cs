using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Cameras;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Keeps one camera's stream sessions running, forever: probe, run (<see cref="StreamSession"/>), reconnect with
/// backoff. The main stream's session records and says whether the camera is up (<see cref="CameraLost"/>,
/// <see cref="CameraRegained"/>). Without a sub stream it also decodes the analysis frames: one RTSP session per
/// camera. With one (<see cref="CameraOptions.AnalysisUrl"/>) the main session decodes nothing and a second session
/// decodes the sub stream for the analysis (its key frames when its GOP allows, as for the main stream); while the sub stream is down or refused, a session of the main stream's
/// key frames stands in (the recording session is never restarted for it, so the evidence has no hole).
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
    private readonly string? _subUrl = string.IsNullOrWhiteSpace(camera.AnalysisUrl) ? null : camera.AnalysisUrl;

    // The main stream as last probed: the sub stream's shape is checked against it, and the stand-in analysis reads it.
    private readonly TaskCompletionSource<StreamInfo> _mainProbed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamInfo? _main;

    // What was last logged of the sub stream's trouble (only the analysis loop touches it).
    private string? _subProblem;

    // null until the first session ends or delivers: the first outage after start is reported, repeats are not.
    private bool? _up;

    public Task RunAsync(CancellationToken stoppingToken) =>
        _subUrl is null
            ? RunMainAsync(stoppingToken)
            : Task.WhenAll(RunMainAsync(stoppingToken), Task.Run(() => RunAnalysisAsync(_subUrl, stoppingToken), CancellationToken.None));

    private async Task RunMainAsync(CancellationToken stoppingToken)
    {
        // A camera that has not delivered a frame yet waits one step in (up to twice the initial delay); one that worked starts again at the shortest.
        var retry = new RetryBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, time, firstAttempt: 1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var signs = 0L;
            string outcome;
            IRecordingRun? run = null;
            try
            {
                run = recording?.Begin(camera.Id);
                var result = await RunMainSessionAsync(run, stoppingToken);
                signs = result.Signs;
                if (result.Ending == SessionEnding.RecordingResumes)
                {
                    // The camera never went away: start again at once, now with the recording.
                    run?.End(null);
                    LogRecordingResumed(logger, camera.Id);
                    continue;
                }

                outcome = Outcome(result);
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
                outcome = Reason(ex);
            }

            run?.End($"camera lost: {outcome}");
            states.SetStream(camera.Id, StreamRole.Main, "down", error: outcome);
            await MarkDownAsync(outcome);
            if (signs > 0)
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

    /// <summary>One session of the main stream: the recording, and the analysis frames unless a sub stream feeds them.</summary>
    private async Task<SessionResult> RunMainSessionAsync(IRecordingRun? run, CancellationToken stoppingToken)
    {
        var main = await StreamProbe.ProbeAsync(camera.Url, options, StreamRole.Main, stoppingToken);
        _main = main;
        _mainProbed.TrySetResult(main);
        states.SetStream(camera.Id, StreamRole.Main, "connecting", main);
        var segmentLength = recording?.SegmentLength ?? TimeSpan.Zero;
        if (_subUrl is null)
        {
            ReportGop(main.Gop);
            var outputs = new SessionOutputs(AnalysisFrames: true, run, segmentLength, live?.Begin(camera.Id));
            return await RunAnalysedAsync(camera.Url, main, outputs, firstFrame: run is null ? null : run.MarkFirstFrame, afterFirstFrame: ct => MarkUpAsync(main, ct), stoppingToken);
        }

        // Nothing decoded: the stream time ffmpeg reports is the sign of life, and its first report anchors the recording's clock.
        var started = false;
        var recordOnly = new SessionOutputs(AnalysisFrames: false, run, segmentLength, live is { FromMainStream: true } ? live.Begin(camera.Id) : null);
        var session = new StreamSession(camera.Id, camera.Url, main, options, time, logger, events);
        return await session.RunAsync(
            recordOnly,
            (_, _, _) => ValueTask.CompletedTask,
            _ => { },
            progress =>
            {
                if (!started)
                {
                    started = true;
                    run?.MarkFirstFrame(time.GetUtcNow() - progress);
                    // On ffmpeg's stderr thread, which must not wait: the report goes on by itself (it never throws but for shutdown).
                    _ = MarkUpAsync(main, stoppingToken).AsTask();
                }
            },
            stoppingToken);
    }

    /// <summary>
    /// The analysis of a camera with a sub stream, forever: the sub stream while it is up and of the main stream's
    /// shape, else the main stream's key frames until a probe of the sub stream succeeds again.
    /// </summary>
    private async Task RunAnalysisAsync(string subUrl, CancellationToken stoppingToken)
    {
        try
        {
            await _mainProbed.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var retry = new RetryBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, time, firstAttempt: 1);
        var sub = await ProbeSubAsync(subUrl, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (sub is not null)
            {
                string outcome;
                var signs = 0L;
                try
                {
                    states.SetAnalysisSource(camera.Id, StreamRole.Sub);
                    ReportGop(sub.Gop);
                    var outputs = new SessionOutputs(AnalysisFrames: true, null, TimeSpan.Zero, live is { FromMainStream: false } ? live.Begin(camera.Id) : null);
                    var stream = sub;
                    var result = await RunAnalysedAsync(subUrl, sub, outputs, firstFrame: null, afterFirstFrame: ct =>
                    {
                        states.SetStream(camera.Id, StreamRole.Sub, "up", stream);
                        return ValueTask.CompletedTask;
                    }, stoppingToken);
                    signs = result.Signs;
                    outcome = Outcome(result);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A sub stream failure of any kind falls back to the main stream.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    outcome = Reason(ex);
                }

                SubUnavailable("down", outcome, null);
                if (signs > 0)
                {
                    retry.Reset();
                }
            }

            sub = await StandInUntilSubReturnsAsync(subUrl, retry, stoppingToken);
        }
    }

    /// <summary>Analyses the main stream's key frames until a probe of the sub stream succeeds; returns that probe (null: stopping).</summary>
    private async Task<StreamInfo?> StandInUntilSubReturnsAsync(string subUrl, RetryBackoff retry, CancellationToken stoppingToken)
    {
        states.SetAnalysisSource(camera.Id, StreamRole.Main);
        using var standIn = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var mainAnalysis = Task.Run(() => RunStandInAsync(standIn.Token), CancellationToken.None);
        try
        {
            while (await retry.WaitAsync(retry.Next(), stoppingToken))
            {
                if (await ProbeSubAsync(subUrl, stoppingToken) is { } sub)
                {
                    LogSubBack(logger, camera.Id, sub.Width, sub.Height);
                    return sub;
                }
            }

            return null;
        }
        finally
        {
            await standIn.CancelAsync();
            await mainAnalysis;
        }
    }

    /// <summary>Sessions of the main stream's key frames (the GOP rules of <see cref="GopPolicy"/>) until <paramref name="ct"/>.</summary>
    private async Task RunStandInAsync(CancellationToken ct)
    {
        var retry = new RetryBackoff(options.ReconnectInitialDelay, options.ReconnectMaxDelay, time, firstAttempt: 1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var main = _main!;
                ReportGop(main.Gop);
                var outputs = new SessionOutputs(AnalysisFrames: true, null, TimeSpan.Zero, live is { FromMainStream: false } ? live.Begin(camera.Id) : null);
                var result = await RunAnalysedAsync(camera.Url, main, outputs, firstFrame: null, afterFirstFrame: _ => ValueTask.CompletedTask, ct);
                if (result.Signs > 0)
                {
                    retry.Reset();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The main stream's own session reports the camera's failures; this one logs its own and tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var reason = Reason(ex);
                LogStandInFailed(logger, camera.Id, reason);
            }

            if (!await retry.WaitAsync(retry.Next(), ct))
            {
                return;
            }
        }
    }

    /// <summary>Probes the sub stream and checks its shape; null (with its state and the log saying why) when it cannot be used now.</summary>
    private async Task<StreamInfo?> ProbeSubAsync(string subUrl, CancellationToken stoppingToken)
    {
        try
        {
            var sub = await StreamProbe.ProbeAsync(subUrl, options, StreamRole.Sub, stoppingToken);
            if (SubStream.Refusal(_main!, sub) is { } refusal)
            {
                SubUnavailable("refused", refusal, sub);
                return null;
            }

            _subProblem = null;
            states.SetStream(camera.Id, StreamRole.Sub, "connecting", sub);
            return sub;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // A sub stream that cannot be opened leaves the analysis on the main stream.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SubUnavailable("down", Reason(ex), null);
            return null;
        }
    }

    /// <summary>The sub stream cannot feed the analysis; the log says so once per reason, not at every probe.</summary>
    private void SubUnavailable(string state, string reason, StreamInfo? sub)
    {
        states.SetStream(camera.Id, StreamRole.Sub, state, sub, reason);
        if (_subProblem == reason)
        {
            return;
        }

        _subProblem = reason;
        if (state == "refused")
        {
            LogSubRefused(logger, camera.Id, reason);
        }
        else
        {
            LogSubDown(logger, camera.Id, reason);
        }
    }

    /// <summary>
    /// Runs a session that decodes analysis frames of <paramref name="url"/> and hands them to the consumers, dated by
    /// their capture time (<see cref="VideoClock"/>: frames before it has settled are not analysed).
    /// <paramref name="firstFrame"/> gets the clock's anchor before the consumers take their time over the first frame;
    /// <paramref name="afterFirstFrame"/> runs once they have it.
    /// </summary>
    private async Task<SessionResult> RunAnalysedAsync(
        string url,
        StreamInfo stream,
        SessionOutputs outputs,
        Action<DateTimeOffset>? firstFrame,
        Func<CancellationToken, ValueTask> afterFirstFrame,
        CancellationToken ct)
    {
        var (width, height) = (stream.Width, stream.Height);
        var clock = new VideoClock(stream.Gop.FrameInterval, VideoClock.HeldByFfmpeg(stream.Gop));
        var delivered = false;

        async ValueTask OnFrame(PipeFrame frame, byte[] data, CancellationToken frameCt)
        {
            // Video time counts every frame on the pipe, also those dropped while the analysis was behind. The frames of
            // ffmpeg's start-up burst go no further: seconds old, and (slow analysis) seconds to analyse, while the
            // analysis wants the newest picture; it starts with the first frame that came on time.
            if (!clock.Observe(frame))
            {
                return;
            }

            if (!delivered)
            {
                firstFrame?.Invoke(clock.Anchor!.Value);
            }

            await _fanOut.DeliverAsync(new CameraFrame(camera.Id, clock.Date(), width, height, data), frameCt);

            // Online after the consumers have the frame, so the report it triggers can carry a snapshot.
            if (!delivered)
            {
                delivered = true;
                await afterFirstFrame(frameCt);
            }
        }

        var session = new StreamSession(camera.Id, url, stream, options, time, logger, events);
        return await session.RunAsync(outputs, OnFrame, _fanOut.SkipCounter(camera.Id), _ => { }, ct);
    }

    private string Outcome(SessionResult result) =>
        result.Ending == SessionEnding.Stalled ? $"no frame for {options.StallTimeout.TotalSeconds:0} s" : "stream ended";

    // ffmpeg quotes its input in its messages: the reason goes to the log, the heartbeat and the Console without the credentials.
    private static string Reason(Exception ex) => CaptureFailure.Classify(ex.Message) ?? RtspUrl.Redact(ex.Message);

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

    private async ValueTask MarkUpAsync(StreamInfo main, CancellationToken ct)
    {
        states.SetStream(camera.Id, StreamRole.Main, "up", main);
        states.MarkOnline(camera.Id, main.Width, main.Height);
        LogCameraUp(logger, camera.Id, main.Width, main.Height);
        if (_up == false && events is not null)
        {
            await events.ReportAsync(new CameraRegained { CameraId = camera.Id, OccurredAt = time.GetUtcNow(), Width = main.Width, Height = main.Height }, null, ct);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: sub stream unavailable ({Reason}); analysis from the main stream's key frames until it returns")]
    private static partial void LogSubDown(ILogger logger, string cameraId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: sub stream refused: {Reason}")]
    private static partial void LogSubRefused(ILogger logger, string cameraId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: analysis of the main stream's key frames ended ({Reason}); trying again")]
    private static partial void LogStandInFailed(ILogger logger, string cameraId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: analysis back on the sub stream, {Width}x{Height}")]
    private static partial void LogSubBack(ILogger logger, string cameraId, int width, int height);
}
