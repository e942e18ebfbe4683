using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Viewing;

/// <summary>Who watches which cameras, told to the Recorders, and the live video they relay.</summary>
public static class ViewingServices
{
    public static WebApplicationBuilder AddViewing(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<ViewingOptions>(builder.Configuration, ViewingOptions.Section);
        services.AddSingleton<ViewerRegistry>();
        services.AddSingleton<ViewingNotifier>();
        services.AddSingleton<IRecorderGreeter>(sp => sp.GetRequiredService<ViewingNotifier>());
        services.AddSingleton<LiveStreams>();
        services.AddSingleton<OtherNodesViewers>();
        services.AddHostedService<ViewingSharing>();
        return builder;
    }
}
