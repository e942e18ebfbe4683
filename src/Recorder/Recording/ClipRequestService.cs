using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Serves the Console's clip requests one at a time: cut the clip, then upload it over HTTP in chunks with the site key,
/// resuming from what the Console already has after a failed chunk, and finish with the manifest (the Console checks the hash).
/// </summary>
public sealed partial class ClipRequestService : BackgroundService
{
    private const int ChunkBytes = 1024 * 1024;
    private const int MaxAttempts = 8;

    private readonly Channel<ClipRequested> _requests = Channel.CreateBounded<ClipRequested>(new BoundedChannelOptions(32) { FullMode = BoundedChannelFullMode.DropWrite });

    // Clip ids queued or being served: the Console sends unfinished requests again on every connect.
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);
    private readonly ClipExporter _exporter;
    private readonly ClipFolder _folder;
    private readonly UplinkOptions _uplink;
    private readonly ConsoleLink _link;
    private readonly TimeProvider _time;
    private readonly ILogger<ClipRequestService> _logger;

    public ClipRequestService(ConsoleLink link, ClipExporter exporter, ClipFolder folder, IOptions<UplinkOptions> uplink, TimeProvider time, ILogger<ClipRequestService> logger)
    {
        _link = link;
        _exporter = exporter;
        _folder = folder;
        _uplink = uplink.Value;
        _time = time;
        _logger = logger;
        link.Connection.On<ClipRequested>(nameof(IRecorderClient.RequestClip), request => Enqueue(request));
    }

    /// <summary>Queues a request as if the Console had sent it; false if it is already queued or being served, or the queue is full.</summary>
    public bool Enqueue(ClipRequested request)
    {
        if (!_pending.TryAdd(request.ClipId, 0))
        {
            LogAlreadyPending(_logger, request.ClipId);
            return false;
        }

        if (_requests.Writer.TryWrite(request))
        {
            return true;
        }

        _pending.TryRemove(request.ClipId, out _);
        LogQueueFull(_logger, request.ClipId);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = _link.CreateHttpClient(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ServeAsync(http, request, stoppingToken);
                }
                finally
                {
                    _pending.TryRemove(request.ClipId, out _);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ServeAsync(HttpClient http, ClipRequested request, CancellationToken ct)
    {
        LogServing(_logger, request.ClipId, request.CameraId, request.From, request.To, request.RequestedBy);
        ClipFile clip;
        try
        {
            clip = await _exporter.FindExportedAsync(request.ClipId, ct) ?? await _exporter.ExportAsync(request, ct);
        }
        catch (ClipException ex)
        {
            LogExportFailed(_logger, request.ClipId, ex.Message);
            await TryAsync(() => http.PostAsJsonAsync(ClipUploads.Failed(request.ClipId), new { reason = ex.Message }, WireJson.Options, ct));
            return;
        }

        var retry = new RetryBackoff(_uplink.RetryInitialDelay, _uplink.RetryMaxDelay, _time);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                await UploadAsync(http, clip, ct);
                _folder.MarkUploaded(request.ClipId, _time.GetUtcNow());
                LogUploaded(_logger, request.ClipId, clip.Manifest.Bytes);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Any network or Console failure is retried, resuming from what arrived.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = retry.Next();
                LogUploadRetry(_logger, request.ClipId, ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, ct);
            }
        }

        LogGaveUp(_logger, request.ClipId, MaxAttempts);
    }

    /// <summary>Sends the clip and its viewing copy if it has one (each: asks how much arrived, sends the rest chunk by chunk), then the manifest.</summary>
    private async Task UploadAsync(HttpClient http, ClipFile clip, CancellationToken ct)
    {
        var id = clip.Manifest.ClipId;
        await UploadFileAsync(http, ClipUploads.Data(id), clip.ClipPath, ct);
        if (clip.Manifest.ViewingCopy is { } view)
        {
            await UploadFileAsync(http, ClipUploads.ViewingCopy(id), _exporter.ViewingCopyPath(view), ct);
        }

        using var manifest = new StringContent(await File.ReadAllTextAsync(clip.ManifestPath, ct), System.Text.Encoding.UTF8, "application/json");
        using var done = await http.PostAsync(ClipUploads.Complete(id), manifest, ct);
        if (!done.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Console refused the clip (HTTP {(int)done.StatusCode}): {await done.Content.ReadAsStringAsync(ct)}");
        }
    }

    private static async Task UploadFileAsync(HttpClient http, string url, string path, CancellationToken ct)
    {
        var state = await http.GetFromJsonAsync<UploadState>(url, WireJson.Options, ct)
            ?? throw new InvalidOperationException("Console sent no upload state");
        var offset = state.Received;
        await using var file = File.OpenRead(path);
        var buffer = new byte[ChunkBytes];
        while (offset < file.Length)
        {
            file.Position = offset;
            var n = await file.ReadAsync(buffer, ct);
            using var content = new ByteArrayContent(buffer, 0, n);
            using var response = await http.PutAsync($"{url}?offset={offset}&total={file.Length}", content, ct);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                // The Console has a different length (a lost answer): continue from its count.
                offset = (await response.Content.ReadFromJsonAsync<UploadState>(WireJson.Options, ct))!.Received;
                continue;
            }

            response.EnsureSuccessStatusCode();
            offset = (await response.Content.ReadFromJsonAsync<UploadState>(WireJson.Options, ct))!.Received;
        }
    }

    private static async Task TryAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var _ = await send();
        }
        catch (HttpRequestException)
        {
            // The Console will see the request never completed; the log has the reason.
        }
    }

    private sealed record UploadState(long Received);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId}: camera {CameraId} {From:o} to {To:o} requested by {User}")]
    private static partial void LogServing(ILogger logger, string clipId, string cameraId, DateTimeOffset from, DateTimeOffset to, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip {ClipId}: cannot export: {Reason}")]
    private static partial void LogExportFailed(ILogger logger, string clipId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId}: uploaded {Bytes} bytes, hash accepted by the Console")]
    private static partial void LogUploaded(ILogger logger, string clipId, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip {ClipId}: upload failed ({Reason}); resuming in {Seconds:0.0} s")]
    private static partial void LogUploadRetry(ILogger logger, string clipId, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Clip {ClipId}: upload abandoned after {Attempts} attempts; the clip stays on the Recorder")]
    private static partial void LogGaveUp(ILogger logger, string clipId, int attempts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Clip {ClipId}: already queued or being served; the repeated request is ignored")]
    private static partial void LogAlreadyPending(ILogger logger, string clipId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip {ClipId}: too many clip requests waiting; dropped (the Console sends it again when the Recorder reconnects)")]
    private static partial void LogQueueFull(ILogger logger, string clipId);
}
