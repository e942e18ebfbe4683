using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Monitor;

/// <summary>The supervisors' screens: their hub, and everything pushed to them.</summary>
public static class MonitorServices
{
    public static WebApplicationBuilder AddMonitor(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<MonitorSessions>();
        services.AddSignalR().AddHubOptions<MonitorHub>(hub => hub.AddFilter<MonitorSessions>());
        services.AddSingleton<MonitorPushes>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorPushes>());
        services.AddSingleton<MonitorBroadcaster>();
        services.AddSingleton<ScreenUpdates>();
        services.AddSingleton<ISiteStatusHandler>(sp => sp.GetRequiredService<ScreenUpdates>());
        services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<ScreenUpdates>());
        return builder;
    }

    public static IEndpointRouteBuilder MapMonitor(this IEndpointRouteBuilder app)
    {
        app.MapHub<MonitorHub>(HubPaths.Monitor);
        return app;
    }
}
