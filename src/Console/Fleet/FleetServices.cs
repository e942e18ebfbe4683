using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Fleet;

/// <summary>The live state of every site, its windows and cameras, and who hears when it changes.</summary>
public static class FleetServices
{
    public static WebApplicationBuilder AddFleet(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<FleetOptions>(builder.Configuration, FleetOptions.Section);
        services.AddSingleton<FleetState>();
        services.AddSingleton<SnapshotCache>();
        services.AddSingleton<WindowBoard>();
        services.AddSingleton<FleetChanges>();
        services.AddHostedService<FleetSharing>();
        services.AddHostedService<OfflineSweeper>();
        return builder;
    }
}
