using System.Diagnostics;
using FFMpegCore;
using FFMpegCore.Pipes;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Cameras;
using ServiceHall.Recorder.Live;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>Keeps one camera's ffmpeg running: probe, pull frames, detect stalls, reconnect with backoff, forever.</summary>
public sealed partial class CameraCapture(
    CameraOptions camera,
    CaptureOptions options,
    IReadOnlyList<IFrameConsumer> consumers,
    CameraStates states,
    TimeProvider time,
    ILogger logger,
    RecordingSessions? recording = null,
    EventReporter? events = null,
    LiveOutputs? live = null)
{
    // A recording stopped by a write failure is retried no sooner than this, so a disk that stays broken costs one ffmpeg restart per period.
    private static readonly TimeSpan ResumeCheckDelay = TimeSpan.FromSeconds(5);

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
            RecordingSessions.Session? session = null;
            try
            {
                // The same ffmpeg process records (stream copy) and decodes the analysis frames: one RTSP session per camera.
                session = recording?.Begin(camera.Id);
                frames = await RunSessionAsync(session, stoppingToken);
                outcome = frames == 0 ? "ffmpeg ended before the first frame" : "stream ended";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                EndRecording(session, null);
                return;
            }
            catch (RecordingResumeException)
            {
                // The camera never went away: start again at once, now with the recording.
                EndRecording(session, null);
                LogRecordingResumed(logger, camera.Id);
                continue;
            }
            catch (StallException ex)
            {
                frames = ex.Frames;
                outcome = $"no frame for {options.StallTimeout.TotalSeconds:0} s";
            }
#pragma warning disable CA1031 // A camera failure of any kind must not end the capture loop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcome = ex.Message;
            }

            // ffmpeg quotes its input in its messages: the reason goes to the log, the heartbeat and the Console without the credentials.
            outcome = CaptureFailure.Classify(outcome) ?? RtspUrl.Redact(outcome);
            EndRecording(session, $"camera lost: {outcome}");
            states.MarkDown(camera.Id, outcome);
            if (_up != false && events is not null)
            {
                await events.ReportAsync(new CameraLost { CameraId = camera.Id, OccurredAt = time.GetUtcNow(), Reason = outcome }, null, CancellationToken.None);
            }

            _up = false;
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

    private void EndRecording(RecordingSessions.Session? session, string? lossReason)
    {
        if (session is not null)
        {
            recording!.End(session, lossReason);
        }
    }

    private async Task<long> RunSessionAsync(RecordingSessions.Session? recordingSession, CancellationToken stoppingToken)
    {
        var (width, height, gop) = await ProbeAsync(stoppingToken);
        var frameBytes = CameraFrame.ByteCount(width, height);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var frames = 0L;
        var lastFrameAt = time.GetTimestamp();
        DateTimeOffset? firstFrameAt = null;

        async ValueTask OnFrame(long index, byte[] data, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            // Video time counts every frame on the pipe, also those dropped while the analysis was behind.
            firstFrameAt ??= now - index * gop.FrameInterval;
            var videoTime = firstFrameAt.Value + index * gop.FrameInterval;
            frames++;
            lastFrameAt = time.GetTimestamp();
            var frame = new CameraFrame(camera.Id, videoTime, width, height, data);
            if (frames == 1 && recordingSession is not null)
            {
                // The stream clock's anchor, before the consumers take their time over the frame.
                recording!.MarkFirstFrame(recordingSession, firstFrameAt.Value);
            }

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
                    LogConsumerFailed(logger, ex, camera.Id, consumer.GetType().Name);
                }
            }

            // Online after the consumers have the frame, so the report it triggers can carry a snapshot.
            if (frames == 1)
            {
                states.MarkOnline(camera.Id, width, height);
                LogCameraUp(logger, camera.Id, width, height);
                if (_up == false && events is not null)
                {
                    await events.ReportAsync(new CameraRegained { CameraId = camera.Id, OccurredAt = now, Width = width, Height = height }, null, ct);
                }

                _up = true;
            }
        }

        var dropped = 0L;
        void OnDropped(long _)
        {
            // Called on the pipe's reading thread only. The Console hears of it with the next heartbeat; the log gets the
            // first, then one line a minute at 1 fps, so an overloaded box says so without flooding it.
            states.FrameSkipped(camera.Id);
            dropped++;
            if (dropped == 1 || dropped % 60 == 0)
            {
                LogFramesDropped(logger, camera.Id, dropped);
            }
        }

        // Up to two seconds of frames may wait: enough for the few ffmpeg buffers while it opens the stream and sends at once.
        Task ReadFrames(Stream stdout, CancellationToken ct) =>
            FramePipe.ReadAsync(stdout, frameBytes, dropBeyond: (int)Math.Ceiling(2 * options.AnalysisFps), OnFrame, OnDropped, ct);

        var stderrTail = new Queue<string>();
        string? recordingFailure = null;
        var processor = InputFor(camera.Url, gop.KeyFramesOnly)
            .OutputToPipe(new StreamPipeSink(ReadFrames), o => o.WithCustomArgument(JoinOutputs(
                live?.Begin(camera.Id),
                CaptureArguments.Outputs(recordingSession?.Pattern, recording?.SegmentLength ?? TimeSpan.Zero, options.AnalysisFps, width, height, gop.KeyFramesOnly))))
            .CancellableThrough(session.Token, TimeSpan.FromSeconds(5))
            .NotifyOnStandardError(line =>
            {
                if (CaptureArguments.RecordingFailure(line) is { } failure)
                {
                    Interlocked.CompareExchange(ref recordingFailure, failure, null);
                }

                lock (stderrTail)
                {
                    stderrTail.Enqueue(line);
                    if (stderrTail.Count > 20)
                    {
                        stderrTail.Dequeue();
                    }
                }
            });
        var commandLine = RtspUrl.Redact(processor.Arguments);
        LogStarting(logger, camera.Id, options.FfmpegPath, commandLine);

        var stalled = false;
        var resume = false;
        long? recordingFailedAt = null;
        var watchdog = Task.Run(async () =>
        {
            while (!session.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, session.Token);
                if (time.GetElapsedTime(lastFrameAt) > options.StallTimeout)
                {
                    stalled = true;
                    await session.CancelAsync();
                }
                else if (recordingSession is not null && Volatile.Read(ref recordingFailure) is { } failure)
                {
                    if (recordingFailedAt is null)
                    {
                        recordingFailedAt = time.GetTimestamp();
                        LogRecordingFailed(logger, camera.Id, failure);
                        if (recording!.Failed(recordingSession, failure) is { } diskLow && events is not null)
                        {
                            await events.ReportAsync(diskLow, null, session.Token);
                        }
                    }
                    else if (time.GetElapsedTime(recordingFailedAt.Value) >= ResumeCheckDelay && recording!.CanResume())
                    {
                        resume = true;
                        await session.CancelAsync();
                    }
                }
            }
        }, CancellationToken.None);

        try
        {
            // The session token (stall or shutdown) cancels through CancellableThrough, which lets ffmpeg finish its output.
            await processor.ProcessAsynchronously(throwOnError: false, new FFOptions { BinaryFolder = BinaryFolder(options.FfmpegPath) }, CancellationToken.None);
        }
        finally
        {
            await session.CancelAsync();
            await watchdog.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        stoppingToken.ThrowIfCancellationRequested();
        if (resume)
        {
            throw new RecordingResumeException();
        }

        if (stalled)
        {
            throw new StallException(frames);
        }

        if (frames == 0)
        {
            string tail;
            lock (stderrTail)
            {
                tail = string.Join(" | ", stderrTail.TakeLast(3));
            }

            throw new InvalidOperationException($"ffmpeg produced no frame: {tail}");
        }

        return frames;
    }

    private async Task<(int Width, int Height, GopDecision Gop)> ProbeAsync(CancellationToken ct)
    {
        using var probeTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        probeTimeout.CancelAfter(TimeSpan.FromSeconds(15));
        var ffOptions = new FFOptions { BinaryFolder = BinaryFolder(options.FfmpegPath) };
        IMediaAnalysis analysis;
        try
        {
            analysis = CaptureArguments.IsNetwork(camera.Url)
                ? await FFProbe.AnalyseAsync(new Uri(camera.Url), ffOptions, CaptureArguments.Network, probeTimeout.Token)
                : await FFProbe.AnalyseAsync(camera.Url, ffOptions, null, probeTimeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException("camera did not answer within 15 s");
        }
        catch (FFMpegCore.Exceptions.FFMpegException ex)
        {
            throw new InvalidOperationException(CaptureFailure.Classify(ex.Message) ?? $"cannot open stream: {FirstLine(ex.Message)}", ex);
        }

        var video = analysis.PrimaryVideoStream ?? throw new InvalidOperationException("stream has no video");
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        if (width is < 2 or > 8192 || height is < 2 or > 8192)
        {
            throw new InvalidOperationException($"implausible resolution {width}x{height}");
        }

        (width, height) = CameraFrame.EvenSize(width, height);
        var gop = await KeyFrameProbe.DecideAsync(camera.Url, options, ffOptions, ct);
        states.SetGop(camera.Id, gop);
        if (gop.Warning is { } warning)
        {
            LogEveryFrameDecoded(logger, camera.Id, warning);
        }
        else
        {
            LogGop(logger, camera.Id, gop.KeyFrameInterval?.TotalSeconds, gop.KeyFramesOnly);
        }

        return (width, height, gop);
    }

    private static FFMpegArguments InputFor(string url, bool keyFramesOnly) =>
        CaptureArguments.IsNetwork(url)
            ? FFMpegArguments.FromUrlInput(new Uri(url), o => o.WithCustomArgument(CaptureArguments.Input(url, keyFramesOnly)))
            : FFMpegArguments.FromFileInput(url, verifyExists: true, o => o.WithCustomArgument(CaptureArguments.Input(url, keyFramesOnly)));

    private static string BinaryFolder(string ffmpegPath) =>
        Path.IsPathRooted(ffmpegPath) ? Path.GetDirectoryName(ffmpegPath) ?? "" : "";

    /// <summary>The rolling live output (when on) goes before the others: the analysis pipe must stay the last output.</summary>
    private static string JoinOutputs(string? liveOutput, string outputs) => liveOutput is null ? outputs : $"{liveOutput} {outputs}";

    private static string FirstLine(string text) => RtspUrl.Redact(text.Split('\n', 2)[0].Trim());

    private sealed class RecordingResumeException() : Exception("recording resumes");

    private sealed class StallException(long frames) : Exception("stalled")
    {
        public long Frames { get; } = frames;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: starting {Ffmpeg} {Arguments}")]
    private static partial void LogStarting(ILogger logger, string cameraId, string ffmpeg, string arguments);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: key-frame interval {Gop} s; key frames only: {KeyFramesOnly}")]
    private static partial void LogGop(ILogger logger, string cameraId, double? gop, bool keyFramesOnly);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: {Warning}; key frames only: False")]
    private static partial void LogEveryFrameDecoded(ILogger logger, string cameraId, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: up, {Width}x{Height}")]
    private static partial void LogCameraUp(ILogger logger, string cameraId, int width, int height);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: down ({Reason}); retrying in {DelaySeconds:0.0} s")]
    private static partial void LogCameraLost(ILogger logger, string cameraId, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: recording stopped, ffmpeg cannot write it ({Reason}); analysis goes on, recording resumes when the disk has room")]
    private static partial void LogRecordingFailed(ILogger logger, string cameraId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: restarting its ffmpeg to resume recording")]
    private static partial void LogRecordingResumed(ILogger logger, string cameraId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: analysis is behind its camera, {Dropped} frames skipped so far this session (the recording is not affected); the box may have more cameras than it can analyse")]
    private static partial void LogFramesDropped(ILogger logger, string cameraId, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: frame consumer {Consumer} failed; frame skipped")]
    private static partial void LogConsumerFailed(ILogger logger, Exception exception, string cameraId, string consumer);
}
