using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Hubs;

/// <summary>The hub Recorders dial into, and the link features use to reach them.</summary>
public static class HubServices
{
    public static WebApplicationBuilder AddRecorderHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IRecorderLink, RecorderLink>();
        // Event batches carry snapshots: far more than the 64 KiB a browser may send.
        builder.Services.AddSignalR().AddHubOptions<RecorderHub>(hub => hub.MaximumReceiveMessageSize = 2 * 1024 * 1024);
        return builder;
    }

    public static IEndpointRouteBuilder MapRecorderHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<RecorderHub>(HubPaths.Recorder);
        return app;
    }
}
