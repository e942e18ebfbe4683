using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Audit;

/// <summary>The append-only, hash-chained audit log every feature writes to, and its retention.</summary>
public static class AuditServices
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSection<AuditOptions>(builder.Configuration, AuditOptions.Section);
        builder.Services.AddStore<IAuditStore, LiteDbAuditStore, PostgresAuditStore>(builder.Configuration);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService<AuditRetention>();
        return builder;
    }
}
