using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Ingest;

/// <summary>Recorders' events: checked, stored once, handed to the features that act on them.</summary>
public static class IngestServices
{
    public static WebApplicationBuilder AddIngest(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<IngestOptions>(builder.Configuration, IngestOptions.Section);
        services.AddStore<IEventStore, LiteDbEventStore, PostgresEventStore>(builder.Configuration);
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton<IngestMetrics>();
        return builder;
    }
}
