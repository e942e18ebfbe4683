using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Alerts;

namespace ServiceHall.Console.Health;

/// <summary>
/// The durable alert webhook queue: degraded when posts pile up or the oldest has waited too long (the receiver is
/// down). Never unhealthy: the posts are kept in the database and go out when the receiver is back.
/// </summary>
public sealed class WebhookHealthCheck(AlertWebhook webhook, IOptions<HealthOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = webhook.Pending;
        var waited = webhook.OldestQueuedAt is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["pending"] = pending, ["oldestWaitSeconds"] = Math.Round(waited.TotalSeconds, 1) };
        var limits = options.Value;
        var result = pending > limits.MaxWebhookBacklog || waited > limits.MaxWebhookWait
            ? HealthCheckResult.Degraded($"{pending} alert posts waiting, the oldest for {waited:c}", data: data)
            : HealthCheckResult.Healthy($"{pending} alert posts waiting", data);
        return Task.FromResult(result);
    }
}
