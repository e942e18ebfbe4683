using ServiceHall.Console.Ingest;
using ServiceHall.Console.Recorders;

namespace ServiceHall.Console.Holds;

/// <summary>Evidence holds: placed here, confirmed by the Recorder's events, sent again at each connect until then.</summary>
public static class HoldServices
{
    public static WebApplicationBuilder AddHolds(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<HoldStore>();
        services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<HoldStore>());
        services.AddSingleton<IRecorderGreeter, HoldGreeter>();
        return builder;
    }
}
