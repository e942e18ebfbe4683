using ServiceHall.Console.Ingest;
using ServiceHall.Console.Recorders;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Holds;

/// <summary>Evidence holds: placed here, confirmed by the Recorder's events, sent again at each connect until then.</summary>
public static class HoldServices
{
    public static WebApplicationBuilder AddHolds(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddStore<IHoldStore, LiteDbHoldStore, PostgresHoldStore>(builder.Configuration);
        services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<IHoldStore>());
        services.AddSingleton<IRecorderGreeter, HoldGreeter>();
        return builder;
    }
}
