using System.Reflection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Live;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Diagnostics;

/// <summary>
/// Reports health and a snapshot per camera every heartbeat interval, and at once when a camera changes state; the
/// snapshots of cameras someone is watching go every <see cref="LiveOptions.WatchedSnapshotInterval"/> instead.
/// </summary>
public sealed partial class HeartbeatService(
    ConsoleLink link,
    CameraStates cameras,
    OccupancyService occupancy,
    ReportTrigger trigger,
    WatchedCameras watched,
    IOptions<UplinkOptions> uplink,
    IOptions<LiveOptions> live,
    IOptions<SiteOptions> site,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    /// <summary>A timer may fire a little early; a send this close to due counts as due.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, (DateTimeOffset At, DateTimeOffset FrameTime)> _snapshotSentAt = new(StringComparer.Ordinal);

    public static string Version { get; } =
        typeof(HeartbeatService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = uplink.Value.HeartbeatInterval;
        var watchedInterval = live.Value.WatchedSnapshotInterval < interval ? live.Value.WatchedSnapshotInterval : interval;
        var heartbeatDue = true;
        var lastHeartbeat = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (link.IsConnected)
                {
                    if (heartbeatDue || time.GetUtcNow() - lastHeartbeat >= interval - Slack)
                    {
                        await SendHeartbeatAsync(stoppingToken);
                        lastHeartbeat = time.GetUtcNow();
                    }

                    await SendDueSnapshotsAsync(interval, watchedInterval, stoppingToken);
                }

                heartbeatDue = await trigger.WaitAsync(watched.Current.Any ? watchedInterval : interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed send is retried next round; the loop never dies.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSendFailed(logger, ex.Message);
                heartbeatDue = true;
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendHeartbeatAsync(CancellationToken ct)
    {
        var heartbeat = new HeartbeatSent(site.Value.Name, Version, time.GetUtcNow(), FreeDiskBytes(site.Value.DataDirectory), cameras.Report(),
            SingleSignal: occupancy.SingleSignal && occupancy.Windows.Count > 0);
        var ack = await link.Connection.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), heartbeat, ct);
        var skew = time.GetUtcNow() - ack.ServerTime;
        if (skew.Duration() > TimeSpan.FromSeconds(5))
        {
            LogClockSkew(logger, skew.TotalSeconds);
        }
    }

    /// <summary>
    /// A snapshot per online camera once per interval (watched ones once per watched interval, when a new frame came),
    /// and at once for a camera that just came up or just began to be watched.
    /// </summary>
    private async Task SendDueSnapshotsAsync(TimeSpan interval, TimeSpan watchedInterval, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var watching = watched.Current;
        foreach (var camera in cameras.Report().Where(c => c.Online))
        {
            var frame = cameras.LatestFrame(camera.CameraId);
            var period = watching.IsWatched(camera.CameraId) ? watchedInterval : interval;
            var sent = _snapshotSentAt.TryGetValue(camera.CameraId, out var last);
            if (frame is null || !SnapshotDue(sent ? last : null, frame.Timestamp, now, period))
            {
                continue;
            }

            var snapshot = new SnapshotTaken(frame.CameraId, frame.Timestamp, frame.Width, frame.Height, Jpeg.Encode(frame));
            await link.Connection.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), snapshot, ct);
            _snapshotSentAt[camera.CameraId] = (now, frame.Timestamp);
        }

        foreach (var down in cameras.Report().Where(c => !c.Online))
        {
            _snapshotSentAt.Remove(down.CameraId);
        }
    }

    /// <summary>Due when nothing was sent yet, or the period has passed and the frame is not the one already sent.</summary>
    internal static bool SnapshotDue((DateTimeOffset At, DateTimeOffset FrameTime)? last, DateTimeOffset frameTime, DateTimeOffset now, TimeSpan period) =>
        last is not { } l || (now - l.At >= period - Slack && frameTime != l.FrameTime);

    internal static long FreeDiskBytes(string directory)
    {
        Directory.CreateDirectory(directory);
        return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat not delivered: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock differs from the Console's by {SkewSeconds:0.0} s")]
    private static partial void LogClockSkew(ILogger logger, double skewSeconds);
}
