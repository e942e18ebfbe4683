using System.Globalization;
using System.Text.RegularExpressions;
using FFMpegCore;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// What one ffmpeg process of a camera writes: analysis frames on its pipe (decoded), the recording (stream copy),
/// the rolling live output (stream copy). At least one of them; a session without analysis frames decodes nothing.
/// </summary>
public sealed record SessionOutputs(bool AnalysisFrames, IRecordingRun? Recording, TimeSpan SegmentLength, string? Live);

/// <summary>Why a session ended without an error: ffmpeg ended, the stream stalled, or a stopped recording can resume.</summary>
public enum SessionEnding
{
    Ended,
    Stalled,
    RecordingResumes,
}

/// <summary>How a session ended; <paramref name="Signs"/>: analysis frames delivered, or, without them, times ffmpeg reported progress.</summary>
public sealed record SessionResult(long Signs, SessionEnding Ending);

/// <summary>
/// One ffmpeg process, one RTSP session, of one stream of a camera: starts it with its outputs, drains its stderr,
/// reads its frames, and watches it: no sign of the stream for <see cref="CaptureOptions.StallTimeout"/> ends it, and
/// so does a recording that failed to write once the disk has room again (a new run resumes it).
/// </summary>
public sealed partial class StreamSession(string cameraId, string url, StreamInfo stream, CaptureOptions options, TimeProvider time, ILogger logger, EventReporter? events)
{
    // A recording stopped by a write failure is retried no sooner than this, so a disk that stays broken costs one ffmpeg restart per period.
    private static readonly TimeSpan ResumeCheckDelay = TimeSpan.FromSeconds(5);

    // ffmpeg asked to quit writes its outputs' ends (a recording segment's last packets) within this, or is killed.
    private static readonly TimeSpan QuitGrace = TimeSpan.FromSeconds(5);

    // ffmpeg prints a frame's line before it writes the frame; this covers the stderr reader falling behind on a busy box.
    private static readonly TimeSpan StampWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs until ffmpeg ends, the stream stalls, the recording can resume, or <paramref name="stoppingToken"/> (which
    /// throws). <paramref name="onFrame"/> gets each analysis frame with its index on the pipe, the time it came off the
    /// pipe, and its own stream time from ffmpeg's stderr (<see cref="FrameStamps"/>); <paramref name="onProgress"/>
    /// the stream time ffmpeg reports (every half second) when the session has no analysis frames. Throws when ffmpeg
    /// ended before any sign of the stream, with the last lines it printed.
    /// </summary>
    public async Task<SessionResult> RunAsync(
        SessionOutputs outputs,
        Func<PipeFrame, byte[], CancellationToken, ValueTask> onFrame,
        Action<long> onSkipped,
        Action<TimeSpan> onProgress,
        CancellationToken stoppingToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var signs = 0L;
        var lastSignAt = time.GetTimestamp();
        TimeSpan? lastProgress = null;

        var stamps = new FrameStamps();
        async ValueTask OnFrame(long index, byte[] data, DateTimeOffset arrivedAt, CancellationToken ct)
        {
            signs++;
            lastSignAt = time.GetTimestamp();
            var lostBefore = stamps.Lost is not null;
            var frame = await stamps.TakeAsync(index, arrivedAt, StampWait, time, ct);
            if (!lostBefore && stamps.Lost is { } why)
            {
                LogStampsLost(logger, cameraId, why);
            }

            await onFrame(frame, data, ct);
        }

        var stderrTail = new Queue<string>();
        string? recordingFailure = null;
        void OnStderr(string line)
        {
            if (CaptureArguments.RecordingFailure(line) is { } failure)
            {
                Interlocked.CompareExchange(ref recordingFailure, failure, null);
            }

            if (outputs.AnalysisFrames && line.Contains("[Parsed_showinfo_", StringComparison.Ordinal))
            {
                // Two lines a frame, kept out of the tail that explains a failure.
                stamps.OnLine(line, time.GetUtcNow());
                return;
            }

            if (!outputs.AnalysisFrames && ProgressTime(line) is { } progress)
            {
                // Without frames on the pipe, the stream time ffmpeg reports is the sign of life: it moves only while packets come.
                if (lastProgress is null || progress > lastProgress)
                {
                    lastProgress = progress;
                    Interlocked.Increment(ref signs);
                    Interlocked.Exchange(ref lastSignAt, time.GetTimestamp());
                    onProgress(progress);
                }

                return;
            }

            lock (stderrTail)
            {
                stderrTail.Enqueue(line);
                if (stderrTail.Count > 20)
                {
                    stderrTail.Dequeue();
                }
            }
        }

        var frameBytes = CameraFrame.ByteCount(stream.Width, stream.Height);
        // Up to two seconds of frames may wait: enough for the few ffmpeg buffers while it opens the stream and sends at once.
        Task ReadFrames(Stream stdout, CancellationToken ct) =>
            FramePipe.ReadAsync(stdout, frameBytes, dropBeyond: (int)Math.Ceiling(2 * options.AnalysisFps), time, OnFrame, onSkipped, ct);

        var arguments = CaptureArguments.Outputs(
            outputs.Recording?.SegmentPattern, outputs.SegmentLength, options.AnalysisFps, stream.Width, stream.Height, stream.Gop.KeyFramesOnly);
        var input = InputFor(url, outputs.AnalysisFrames && stream.Gop.KeyFramesOnly);
        // FFMpegCore builds the arguments; the process itself runs as our own child (FfmpegProcess: no stderr kept).
        var processor = outputs.AnalysisFrames
            ? input.OutputToFile("pipe:1", overwrite: false, o => o.WithCustomArgument(JoinOutputs(outputs.Live, arguments)))
            : input.OutputToFile("-", overwrite: false, o => o.WithCustomArgument(JoinOutputs(outputs.Live, CaptureArguments.CopyOutputs(outputs.Recording?.SegmentPattern, outputs.SegmentLength))));
        var commandLine = RtspUrl.Redact(processor.Arguments);
        LogStarting(logger, cameraId, options.FfmpegPath, commandLine);

        var stalled = false;
        var resume = false;
        var watchdog = Task.Run(
            async () =>
            {
                long? recordingFailedAt = null;
                while (!session.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, session.Token);
                    if (time.GetElapsedTime(Interlocked.Read(ref lastSignAt)) > options.StallTimeout)
                    {
                        stalled = true;
                        await session.CancelAsync();
                    }
                    else if (outputs.Recording is { } recording && Volatile.Read(ref recordingFailure) is { } failure)
                    {
                        if (recordingFailedAt is null)
                        {
                            recordingFailedAt = time.GetTimestamp();
                            LogRecordingFailed(logger, cameraId, failure);
                            if (recording.Failed(failure) is { } diskLow && events is not null)
                            {
                                await events.ReportAsync(diskLow, null, session.Token);
                            }
                        }
                        else if (time.GetElapsedTime(recordingFailedAt.Value) >= ResumeCheckDelay && recording.CanResume())
                        {
                            resume = true;
                            await session.CancelAsync();
                        }
                    }
                }
            },
            CancellationToken.None);

        try
        {
            // The session token (stall or shutdown) asks ffmpeg to quit, which lets it finish its outputs.
            await FfmpegProcess.RunAsync(
                options.FfmpegPath,
                processor.Arguments,
                outputs.AnalysisFrames ? ReadFrames : (stdout, ct) => stdout.CopyToAsync(Stream.Null, ct),
                OnStderr,
                QuitGrace,
                session.Token);
        }
        finally
        {
            await session.CancelAsync();
            await watchdog.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        stoppingToken.ThrowIfCancellationRequested();
        if (resume)
        {
            return new SessionResult(signs, SessionEnding.RecordingResumes);
        }

        if (stalled)
        {
            return new SessionResult(signs, SessionEnding.Stalled);
        }

        if (signs == 0)
        {
            string tail;
            lock (stderrTail)
            {
                tail = string.Join(" | ", stderrTail.TakeLast(3));
            }

            throw new InvalidOperationException($"ffmpeg produced no frame: {tail}");
        }

        return new SessionResult(signs, SessionEnding.Ended);
    }

    /// <summary>The stream time of one of ffmpeg's progress lines (<c>frame=... time=00:00:12.48 ...</c>); null for any other line.</summary>
    public static TimeSpan? ProgressTime(string stderrLine)
    {
        var match = ProgressPattern().Match(stderrLine);
        return match.Success && TimeSpan.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var t) ? t : null;
    }

    private static FFMpegArguments InputFor(string url, bool keyFramesOnly) =>
        CaptureArguments.IsNetwork(url)
            ? FFMpegArguments.FromUrlInput(new Uri(url), o => o.WithCustomArgument(CaptureArguments.Input(url, keyFramesOnly)))
            : FFMpegArguments.FromFileInput(url, verifyExists: true, o => o.WithCustomArgument(CaptureArguments.Input(url, keyFramesOnly)));

    /// <summary>The rolling live output (when on) goes before the others: the analysis pipe must stay the last output.</summary>
    private static string JoinOutputs(string? liveOutput, string outputs) => liveOutput is null ? outputs : $"{liveOutput} {outputs}";

    [GeneratedRegex(@"^frame=.*\btime=(\d+:\d\d:\d\d(?:\.\d+)?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ProgressPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: starting {Ffmpeg} {Arguments}")]
    private static partial void LogStarting(ILogger logger, string cameraId, string ffmpeg, string arguments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: frames are dated by their arrival from now on, not by their own stream time ({Reason}); a frame ffmpeg holds may be dated up to one frame interval late")]
    private static partial void LogStampsLost(ILogger logger, string cameraId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: recording stopped, ffmpeg cannot write it ({Reason}); analysis goes on, recording resumes when the disk has room")]
    private static partial void LogRecordingFailed(ILogger logger, string cameraId, string reason);
}
