using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Live;

/// <summary>
/// While the Console says someone plays a camera live (and for <see cref="LiveOptions.Linger"/> after), pushes each new
/// segment of that camera's rolling HLS output to the Console over HTTP with the site key. Nothing is sent otherwise.
/// </summary>
public sealed partial class LivePublisher(
    WatchedCameras watched,
    LiveOutputs outputs,
    IOptions<LiveOptions> options,
    IOptions<CaptureOptions> capture,
    ConsoleLink link,
    TimeProvider time,
    ILogger<LivePublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private const int StartBacklog = 2;

    private readonly Dictionary<string, Push> _pushes = new(StringComparer.Ordinal);

    /// <summary>Segments pushed since start, all cameras (tests and logs read it).</summary>
    public long SegmentsPushed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var http = link.CreateHttpClient(TimeSpan.FromSeconds(10));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var camera in capture.Value.Cameras)
                {
                    await ServeAsync(http, camera.Id, stoppingToken);
                }

                await Task.Delay(Poll, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed push is retried on the next poll; the loop never dies.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPushFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ServeAsync(HttpClient http, string cameraId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (watched.Current.IsLive(cameraId))
        {
            if (!_pushes.TryGetValue(cameraId, out var started))
            {
                LogStarted(logger, cameraId);
                _pushes[cameraId] = started = new Push();
            }

            started.LastWantedAt = now;
        }

        if (!_pushes.TryGetValue(cameraId, out var push))
        {
            return;
        }

        if (now - push.LastWantedAt > options.Value.Linger)
        {
            _pushes.Remove(cameraId);
            LogStopped(logger, cameraId);
            return;
        }

        var playlist = Path.Combine(outputs.Folder(cameraId), LiveOutputs.PlaylistName);
        if (!File.Exists(playlist))
        {
            return;
        }

        var listed = LivePlaylist.Parse(await File.ReadAllTextAsync(playlist, ct));
        foreach (var entry in LivePlaylist.Due(listed, push.Sent, StartBacklog))
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(Path.Combine(outputs.Folder(cameraId), entry.Name), ct);
            }
            catch (FileNotFoundException)
            {
                // Deleted by ffmpeg's rolling window before we got to it: skip it.
                push.Sent.Add(entry.Name);
                continue;
            }

            using var content = new ByteArrayContent(bytes);
            var duration = entry.DurationSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            using var response = await http.PutAsync($"{LiveUploads.Segment(cameraId, entry.Name)}?duration={duration}", content, ct);
            response.EnsureSuccessStatusCode();
            push.Sent.Add(entry.Name);
            SegmentsPushed++;
        }

        // Forget names ffmpeg no longer lists, so the set stays as small as the playlist.
        push.Sent.IntersectWith(listed.Select(e => e.Name));
    }

    private sealed class Push
    {
        public DateTimeOffset LastWantedAt { get; set; }

        public HashSet<string> Sent { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: live video wanted, pushing segments to the Console")]
    private static partial void LogStarted(ILogger logger, string cameraId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId}: live video stopped, no viewer left")]
    private static partial void LogStopped(ILogger logger, string cameraId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push failed: {Reason}; retrying")]
    private static partial void LogPushFailed(ILogger logger, string reason);
}
