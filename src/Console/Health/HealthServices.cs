using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Health;

/// <summary>
/// <c>/health</c>: liveness (the process answers; no dependency is checked, so a restart is never triggered by a
/// store outage). <c>/health/ready</c>: readiness, one check per store probe plus the webhook backlog; 503 when a
/// check is unhealthy, 200 when healthy or degraded. Both answer without sign-in and name no site.
/// </summary>
public static class HealthServices
{
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<HealthOptions>(builder.Configuration, HealthOptions.Section);
        services.AddHealthChecks().AddCheck<WebhookHealthCheck>("webhook", tags: [ReadyTag]);
        // One check per registered store, known only once the container is built.
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(sp => new ConfigureOptions<HealthCheckServiceOptions>(checks =>
        {
            foreach (var probe in sp.GetServices<IStoreProbe>())
            {
                checks.Registrations.Add(new HealthCheckRegistration(
                    $"store:{probe.Name}",
                    s => new StoreHealthCheck(probe, s.GetRequiredService<IOptions<HealthOptions>>()),
                    failureStatus: null,
                    tags: [ReadyTag]));
            }
        }));
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJson }).AllowAnonymous();
        return app;
    }

    /// <summary><c>{"status":"healthy","checks":[{"name":..,"status":..,"description":..,"data":{..}}]}</c>, statuses in lower case.</summary>
    public static Task WriteJson(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var body = new HealthBody(
            Status(report.Status),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            [.. report.Entries.Select(e => new HealthEntry(e.Key, Status(e.Value.Status), e.Value.Description, e.Value.Data.Count == 0 ? null : e.Value.Data))]);
        return JsonSerializer.SerializeAsync(http.Response.Body, body, JsonOptions, http.RequestAborted);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string Status(HealthStatus status) => status.ToString().ToLowerInvariant();

    private sealed record HealthBody(string Status, double DurationMs, IReadOnlyList<HealthEntry> Checks);

    private sealed record HealthEntry(string Name, string Status, string? Description, IReadOnlyDictionary<string, object>? Data);
}
