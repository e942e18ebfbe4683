using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Attendance;

/// <summary>Attendance: the ledger of days the Recorders closed, folded from their events.</summary>
public static class AttendanceServices
{
    public static WebApplicationBuilder AddAttendance(this WebApplicationBuilder builder)
    {
        builder.Services.AddStore<ILedgerStore, LiteDbLedgerStore, PostgresLedgerStore>(builder.Configuration);
        builder.Services.AddSingleton<AttendanceLedger>();
        builder.Services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<AttendanceLedger>());
        return builder;
    }
}
