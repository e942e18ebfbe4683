using System.Text;
using JsonSerializer = System.Text.Json.JsonSerializer;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>
/// Posts every alert change as JSON to <see cref="AlertOptions.WebhookUrl"/>, in order. Each post waits in the
/// durable <see cref="IWebhookQueue"/> until the receiver accepts it, retried with jittered backoff for as long as the receiver is down and
/// across restarts of the Console: a long outage delays alerts, it never drops them.
/// </summary>
public sealed partial class AlertWebhook : BackgroundService
{
    public const string ClientName = "alert-webhook";

    private readonly IHttpClientFactory _clients;
    private readonly IOptions<AlertOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertWebhook> _logger;
    private readonly IWebhookQueue _posts;
    private readonly IJobLease _lease;

    /// <summary>The job name of the sender: one node posts, so a receiver gets each post once.</summary>
    public const string Job = "alert-webhook";

    // How often a node that does not send, or may not hear of posts queued on other nodes, looks again.
    private static readonly TimeSpan SharedPoll = TimeSpan.FromSeconds(2);

    // Wakes the sender when a post is queued; one pending signal is enough, the queue itself is in the database.
    private readonly Channel<bool> _queued = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public AlertWebhook(IWebhookQueue posts, IJobLease lease, IHttpClientFactory clients, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertWebhook> logger)
    {
        _lease = lease;
        _clients = clients;
        _options = options;
        _time = time;
        _logger = logger;
        _posts = posts;
    }

    /// <summary>Posts waiting for the receiver.</summary>
    public int Pending => _posts.Count();

    /// <summary>When the oldest waiting post was queued; null when none waits.</summary>
    public DateTimeOffset? OldestQueuedAt =>
        _posts.Oldest() is { } oldest ? new DateTimeOffset(oldest.QueuedAtTicks, TimeSpan.Zero) : null;

    public void Enqueue(AlertView alert)
    {
        if (_options.Value.WebhookUrl is null)
        {
            return;
        }

        _posts.Add(new WebhookPost { AlertId = alert.AlertId, AlertJson = JsonSerializer.Serialize(alert, WireJson.Options), QueuedAtTicks = _time.GetUtcNow().UtcTicks });
        _queued.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!_lease.Holds(Job))
                {
                    await Task.Delay(SharedPoll, _time, stoppingToken);
                    continue;
                }

                // Oldest first (ids grow), so a receiver sees an alert's changes in the order they happened.
                if (_posts.Oldest() is not { } next)
                {
                    await WaitForPostAsync(stoppingToken);
                    continue;
                }

                await DeliverAsync(next, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown; what is queued stays in the database for the next start.
        }
    }

    /// <summary>Until a post is queued here, or, when other nodes share the queue, at most <see cref="SharedPoll"/>.</summary>
    private async Task WaitForPostAsync(CancellationToken ct)
    {
        if (!_lease.Shared)
        {
            await _queued.Reader.ReadAsync(ct);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var signalled = _queued.Reader.WaitToReadAsync(wait.Token).AsTask();
        await Task.WhenAny(signalled, Task.Delay(SharedPoll, _time, ct));
        await wait.CancelAsync();
        _queued.Reader.TryRead(out _);
    }

    private async Task DeliverAsync(WebhookPost post, CancellationToken ct)
    {
        var settings = _options.Value;
        var reason = await PostAsync(post.AlertJson, settings, ct);
        if (reason is null)
        {
            _posts.Remove(post.Id);
            return;
        }

        post.Attempts++;
        _posts.SaveAttempts(post);
        if (post.Attempts == settings.WebhookMaxAttempts)
        {
            LogStillFailing(_logger, post.AlertId, post.Attempts, Pending);
        }
        else
        {
            LogAttemptFailed(_logger, post.AlertId, post.Attempts, reason);
        }

        await Task.Delay(Backoff.Delay(post.Attempts - 1, settings.WebhookRetryInitialDelay, settings.WebhookRetryMaxDelay, Random.Shared.NextDouble()), _time, ct);
    }

    /// <summary>Posts once; null when the receiver accepted, else why not.</summary>
    private async Task<string?> PostAsync(string alertJson, AlertOptions settings, CancellationToken ct)
    {
        using var client = _clients.CreateClient(ClientName);
        client.Timeout = TimeSpan.FromSeconds(10);
        try
        {
            using var content = new StringContent(alertJson, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(settings.WebhookUrl, content, ct);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook for {AlertId} failed (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogAttemptFailed(ILogger logger, string alertId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert webhook for {AlertId} still failing after {Attempts} attempts (Alerts:WebhookMaxAttempts); {Pending} alerts wait and are retried")]
    private static partial void LogStillFailing(ILogger logger, string alertId, int attempts, int pending);
}

/// <summary>One alert change waiting to be posted to the webhook.</summary>
public sealed class WebhookPost
{
    public int Id { get; set; }

    public string AlertId { get; set; } = "";

    /// <summary>The alert as posted: its wire JSON, so a post survives a restart byte for byte.</summary>
    public string AlertJson { get; set; } = "";

    public long QueuedAtTicks { get; set; }

    public int Attempts { get; set; }
}
