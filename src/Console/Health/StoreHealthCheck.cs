using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Health;

/// <summary>
/// A store's readiness: unhealthy when a required store cannot be read or written, degraded when a store that is not
/// required (Redis) fails or a store's disk runs low.
/// </summary>
public sealed class StoreHealthCheck(IStoreProbe probe, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var found = probe.Probe();
        var data = new Dictionary<string, object> { ["open"] = found.Open, ["writable"] = found.Writable };
        if (found.FreeBytes is { } free)
        {
            data["freeBytes"] = free;
        }

        var minFree = options.Value.MinFreeDiskBytes;
        var result = found switch
        {
            { Working: false } when probe.Required => HealthCheckResult.Unhealthy(found.Problem, data: data),
            { Working: false } => HealthCheckResult.Degraded(found.Problem, data: data),
            { FreeBytes: { } low } when low < minFree => HealthCheckResult.Degraded($"{low} bytes free in the data folder, below Health:MinFreeDiskBytes {minFree}", data: data),
            _ => HealthCheckResult.Healthy("open and writable", data),
        };
        return Task.FromResult(result);
    }
}
