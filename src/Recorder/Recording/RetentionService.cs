using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Recording;

/// <summary>Deletes the oldest unheld segments by age, quota and free space; raises <see cref="DiskLow"/> when holds leave it short.</summary>
public sealed partial class RetentionService(
    SegmentIndex index,
    RecordingSessions sessions,
    ClipFolder clips,
    EventReporter events,
    IOptions<RecordingOptions> options,
    IOptions<CaptureOptions> capture,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private readonly List<string> _cameras = capture.Value.Cameras.Select(c => c.Id).ToList();

    private bool _short;

    /// <summary>Free bytes of the recordings' disk; tests replace it to stage a full disk.</summary>
    public Func<string, long> FreeBytes { get; set; } = static root => new DriveInfo(root).AvailableFreeSpace;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                await Task.Delay(options.Value.RetentionInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round is logged and retried next interval.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
                await Task.Delay(options.Value.RetentionInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One retention round; returns what it planned (and did).</summary>
    public async Task<RetentionPlan> RunOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(sessions.Root);
        clips.DeleteExpired(time.GetUtcNow());
        var plan = RetentionPlanner.Plan(index.All(), index.Holds(), time.GetUtcNow(), options.Value, FreeBytes(sessions.Root), clips.Bytes());
        foreach (var segment in plan.Delete)
        {
            var path = Path.Combine(sessions.Root, segment.Path);
            try
            {
                File.Delete(path);
            }
            catch (IOException ex)
            {
                LogDeleteFailed(logger, path, ex.Message);
                continue;
            }

            index.Remove(segment.Path);
            LogDeleted(logger, segment.CameraId, segment.Path, segment.Bytes);
        }

        if (plan.Shortfall is not null && !_short)
        {
            await events.ReportAsync(
                new DiskLow { CameraId = plan.TopHeldCamera ?? (_cameras.Count > 0 ? _cameras[0] : "recorder"), OccurredAt = time.GetUtcNow(), FreeBytes = plan.FreeBytesAfter, RecordingBytes = plan.RecordingBytesAfter, HeldBytes = plan.HeldBytes, Reason = plan.Shortfall },
                null,
                ct);
        }

        _short = plan.Shortfall is not null;
        return plan;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: camera {CameraId} segment {Path} ({Bytes} bytes) deleted")]
    private static partial void LogDeleted(ILogger logger, string cameraId, string path, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: cannot delete {Path}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention round failed; retrying next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
