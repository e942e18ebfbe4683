namespace ServiceHall.Console.Audit;

/// <summary>The append-only audit log every feature writes to.</summary>
public static class AuditServices
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AuditLog>();
        return builder;
    }
}
