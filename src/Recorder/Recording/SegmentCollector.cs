using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Keeps the segment index true to the disk. At start it reconciles (index entries without a file go, files
/// without an entry are probed and added, segments cut short by a crash are kept if they play); then it moves each
/// finished segment from ffmpeg's incoming folder to its day folder, indexes it, and records gaps between segments.
/// </summary>
public sealed partial class SegmentCollector(
    SegmentIndex index,
    RecordingSessions sessions,
    EventReporter events,
    IOptions<RecordingOptions> options,
    IOptions<CaptureOptions> capture,
    TimeProvider time,
    ILogger<SegmentCollector> logger) : BackgroundService
{
    // MPEG-TS timestamps are 33 bits at 90 kHz and wrap after about 26.5 hours.
    private const double PtsWrapSeconds = 8589934592.0 / 90000.0;

    private readonly string _ffmpeg = capture.Value.FfmpegPath;

    public string Root => sessions.Root;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReconcileAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A failed reconciliation is retried by the collecting loop below.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLoopFailed(logger, ex);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.IndexInterval, time, stoppingToken);
                await CollectAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One bad file or a vanished folder is logged; the loop goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogLoopFailed(logger, ex);
            }
        }
    }

    /// <summary>Makes the index match the disk: the files are the truth.</summary>
    public async Task ReconcileAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        var onDisk = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*" + SegmentPaths.Extension, SearchOption.AllDirectories))
        {
            if (SegmentPaths.TryParseFinal(file, out _, out _))
            {
                onDisk.Add(Path.GetRelativePath(Root, file));
            }
        }

        var removed = 0;
        foreach (var segment in index.All())
        {
            if (!onDisk.Remove(segment.Path))
            {
                index.Remove(segment.Path);
                removed++;
            }
        }

        var added = 0;
        foreach (var relative in onDisk.Order(StringComparer.Ordinal))
        {
            if (!SegmentPaths.TryParseFinal(relative, out var cameraId, out var start))
            {
                continue;
            }

            var full = Path.Combine(Root, relative);
            var info = await MediaProbe.TryProbeAsync(full, _ffmpeg, ct);
            if (info is null)
            {
                LogUnplayable(logger, full);
                continue;
            }

            index.Upsert(new SegmentRecord
            {
                Path = relative,
                CameraId = cameraId,
                StartTicks = start.UtcTicks,
                EndTicks = (start + info.Duration).UtcTicks,
                Bytes = new FileInfo(full).Length,
                PtsStart = info.StartSeconds,
            });
            added++;
        }

        // Whatever ffmpeg left in incoming folders belongs to sessions of an earlier run: finish them all.
        await CollectAsync(ct);
        LogReconciled(logger, removed, added);
    }

    /// <summary>
    /// Indexes every finished segment. The newest file of a live session is still being written and waits; so do all of a
    /// live session whose first frame has not come yet, since only that frame anchors the session's clock to the wall
    /// clock (a session that never delivers one ends within the stall timeout and is then placed by its start).
    /// </summary>
    public async Task CollectAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var cameraDirectory in Directory.EnumerateDirectories(Root))
        {
            var cameraId = Path.GetFileName(cameraDirectory);
            var incoming = Path.Combine(cameraDirectory, SegmentPaths.Incoming);
            if (!Directory.Exists(incoming))
            {
                continue;
            }

            var files = Directory.EnumerateFiles(incoming, "*" + SegmentPaths.Extension)
                .Select(f => SegmentPaths.TryParseIncoming(f, out var session, out var n) ? (File: f, Session: session, Index: n) : default)
                .Where(f => f.File is not null)
                .OrderBy(f => f.Session).ThenBy(f => f.Index)
                .ToList();
            var live = sessions.LiveSessionId(cameraId);
            var newestLive = files.Where(f => f.Session == live).Select(f => f.Index).DefaultIfEmpty(-1).Max();
            foreach (var (file, session, n) in files)
            {
                if (session == live && (n == newestLive || !sessions.IsAnchored(session)))
                {
                    continue;
                }

                await FinishAsync(cameraId, file, session, ct);
            }
        }
    }

    private async Task FinishAsync(string cameraId, string file, long sessionId, CancellationToken ct)
    {
        var info = await MediaProbe.TryProbeAsync(file, _ffmpeg, ct);
        if (info is null)
        {
            // A segment cut before its first whole frame holds nothing to keep.
            LogDiscarded(logger, file, new FileInfo(file).Length);
            File.Delete(file);
            return;
        }

        var previousInSession = index.LatestOfSession(cameraId, sessionId);
        var previous = index.Latest(cameraId);
        var placement = previousInSession is null
            ? SegmentTiming.Place(sessions.Anchor(sessionId), previous?.End, sessions.ClockJump(sessionId), sessions.LastLoss(cameraId), options.Value.GapTolerance)
            : new SegmentPlacement(previousInSession.Start + TimeSpan.FromSeconds(PtsDelta(previousInSession.PtsStart, info.StartSeconds)), null, null);
        var start = placement.Start;
        var end = start + info.Duration;
        var relative = SegmentPaths.FinalRelativePath(cameraId, start);
        var target = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(file, target);
        index.Upsert(new SegmentRecord
        {
            Path = relative,
            CameraId = cameraId,
            StartTicks = start.UtcTicks,
            EndTicks = end.UtcTicks,
            Bytes = new FileInfo(target).Length,
            SessionId = sessionId,
            PtsStart = info.StartSeconds,
        });
        LogIndexed(logger, cameraId, relative, info.Duration.TotalSeconds);

        if (placement.ClockWentBackBy is { } back)
        {
            LogClockWentBack(logger, cameraId, back.TotalSeconds, start);
        }

        if (placement.GapCause is { } cause)
        {
            var gap = index.AddGap(cameraId, previous!.End, start, cause);
            await events.ReportAsync(new RecordingGap { CameraId = cameraId, OccurredAt = time.GetUtcNow(), From = gap.From, To = gap.To, Cause = cause }, null, ct);
        }
    }

    private static double PtsDelta(double from, double to)
    {
        var delta = to - from;
        return delta < -PtsWrapSeconds / 2 ? delta + PtsWrapSeconds : delta;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording index reconciled with disk: {Removed} entries without a file removed, {Added} files added")]
    private static partial void LogReconciled(ILogger logger, int removed, int added);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Camera {CameraId}: segment {Path} indexed ({Seconds:0.0} s)")]
    private static partial void LogIndexed(ILogger logger, string cameraId, string path, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Path} does not play; left on disk, not indexed")]
    private static partial void LogUnplayable(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Segment {Path} ({Bytes} bytes) holds no playable frame; deleted")]
    private static partial void LogDiscarded(ILogger logger, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId}: the wall clock is {Seconds:0.0} s behind the recording already stored (it jumped back); the new recording is indexed from {Start:o}, right after it")]
    private static partial void LogClockWentBack(ILogger logger, string cameraId, double seconds, DateTimeOffset start);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording index: collecting segments failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
