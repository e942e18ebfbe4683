using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Alerts;

/// <summary>Alerts: the rules and what feeds them, the engine, escalation and the webhook.</summary>
public static class AlertServices
{
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<AlertOptions>(builder.Configuration, AlertOptions.Section);
        services.AddStore<IAlertStore, LiteDbAlertStore, PostgresAlertStore>(builder.Configuration);
        services.AddStore<IWebhookQueue, LiteDbWebhookQueue, PostgresWebhookQueue>(builder.Configuration);
        services.AddSingleton<AlertEngine>();
        services.AddHttpClient(AlertWebhook.ClientName);
        services.AddSingleton<AlertWebhook>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhook>());
        services.AddHostedService<AlertEscalator>();
        services.AddSingleton<AlertTrigger>();
        services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<AlertTrigger>());
        services.AddSingleton<ISiteStatusHandler>(sp => sp.GetRequiredService<AlertTrigger>());
        services.AddSingleton<IRejectedEventsHandler>(sp => sp.GetRequiredService<AlertTrigger>());
        return builder;
    }
}
