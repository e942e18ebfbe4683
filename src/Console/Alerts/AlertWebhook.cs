using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>
/// Posts every alert change as JSON to <see cref="AlertOptions.WebhookUrl"/>, in order, retrying each with
/// jittered backoff; a receiver that stays down loses a post only after the configured attempts.
/// </summary>
public sealed partial class AlertWebhook(IHttpClientFactory clients, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertWebhook> logger) : BackgroundService
{
    public const string ClientName = "alert-webhook";

    private readonly Channel<AlertView> _queue = Channel.CreateBounded<AlertView>(new BoundedChannelOptions(10_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void Enqueue(AlertView alert)
    {
        if (options.Value.WebhookUrl is not null)
        {
            _queue.Writer.TryWrite(alert);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await PostAsync(alert, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    private async Task PostAsync(AlertView alert, CancellationToken ct)
    {
        var settings = options.Value;
        using var client = clients.CreateClient(ClientName);
        client.Timeout = TimeSpan.FromSeconds(10);
        for (var attempt = 0; attempt < settings.WebhookMaxAttempts; attempt++)
        {
            try
            {
                using var response = await client.PostAsJsonAsync(settings.WebhookUrl, alert, WireJson.Options, ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                LogAttemptFailed(logger, alert.AlertId, attempt + 1, $"HTTP {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                LogAttemptFailed(logger, alert.AlertId, attempt + 1, ex.Message);
            }

            if (attempt + 1 < settings.WebhookMaxAttempts)
            {
                await Task.Delay(Backoff.Delay(attempt, settings.WebhookRetryInitialDelay, settings.WebhookRetryMaxDelay, Random.Shared.NextDouble()), time, ct);
            }
        }

        LogGaveUp(logger, alert.AlertId, settings.WebhookMaxAttempts);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook for {AlertId} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string alertId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert webhook for {AlertId} given up after {Attempts} attempts (Alerts:WebhookMaxAttempts)")]
    private static partial void LogGaveUp(ILogger logger, string alertId, int attempts);
}
