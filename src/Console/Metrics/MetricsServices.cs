using Prometheus;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Metrics;

/// <summary>Prometheus metrics at <c>/metrics</c>, readable from loopback, listed addresses, or with the scrape token.</summary>
public static partial class MetricsServices
{
    public static WebApplicationBuilder AddMetrics(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<MetricsOptions>(builder.Configuration, MetricsOptions.Section);
        services.AddSingleton<ConsoleMetrics>();
        services.AddSingleton<ScrapeAccess>();
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        // Created now, not at the first scrape, so the counters see the first batch.
        _ = app.Services.GetRequiredService<ConsoleMetrics>();
        app.MapGet("/metrics", Scrape).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Scrape(HttpContext http, ConsoleMetrics metrics, ScrapeAccess access, ILogger<ConsoleMetrics> logger)
    {
        if (!access.Allows(http))
        {
            LogRefused(logger, http.Connection.RemoteIpAddress?.ToString() ?? "?");
            if (access.HasToken)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return TypedResults.Unauthorized();
            }

            return TypedResults.Problem("metrics are served to loopback, Metrics:AllowedAddresses or the Metrics:ScrapeToken only", statusCode: StatusCodes.Status403Forbidden);
        }

        var page = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(page, http.RequestAborted);
        page.Position = 0;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(page, "text/plain; version=0.0.4; charset=utf-8");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics scrape from {Remote} refused: not loopback, not in Metrics:AllowedAddresses, no valid scrape token")]
    private static partial void LogRefused(ILogger logger, string remote);
}
