using System.Reflection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Diagnostics;

/// <summary>Reports health and a snapshot per camera every heartbeat interval, and at once when a camera changes state.</summary>
public sealed partial class HeartbeatService(
    ConsoleLink link,
    CameraStates cameras,
    ReportTrigger trigger,
    IOptions<UplinkOptions> uplink,
    IOptions<SiteOptions> site,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _snapshotSentAt = new(StringComparer.Ordinal);

    public static string Version { get; } =
        typeof(HeartbeatService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = uplink.Value.HeartbeatInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (link.IsConnected)
                {
                    await SendHeartbeatAsync(stoppingToken);
                    await SendDueSnapshotsAsync(interval, stoppingToken);
                }

                await trigger.WaitAsync(interval, time, stoppingToken);
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
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SendHeartbeatAsync(CancellationToken ct)
    {
        var heartbeat = new HeartbeatSent(site.Value.Name, Version, time.GetUtcNow(), FreeDiskBytes(site.Value.DataDirectory), cameras.Report());
        var ack = await link.Connection.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), heartbeat, ct);
        var skew = time.GetUtcNow() - ack.ServerTime;
        if (skew.Duration() > TimeSpan.FromSeconds(5))
        {
            LogClockSkew(logger, skew.TotalSeconds);
        }
    }

    /// <summary>A snapshot per online camera once per interval, and at once for a camera that just came up.</summary>
    private async Task SendDueSnapshotsAsync(TimeSpan interval, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var camera in cameras.Report().Where(c => c.Online))
        {
            var frame = cameras.LatestFrame(camera.CameraId);
            var due = !_snapshotSentAt.TryGetValue(camera.CameraId, out var last) || now - last >= interval - TimeSpan.FromMilliseconds(100);
            if (frame is null || !due)
            {
                continue;
            }

            var snapshot = new SnapshotTaken(frame.CameraId, frame.Timestamp, frame.Width, frame.Height, Jpeg.Encode(frame));
            await link.Connection.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), snapshot, ct);
            _snapshotSentAt[camera.CameraId] = now;
        }

        foreach (var down in cameras.Report().Where(c => !c.Online))
        {
            _snapshotSentAt.Remove(down.CameraId);
        }
    }

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
