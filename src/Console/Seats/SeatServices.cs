using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Seats;

/// <summary>Windows and seats as the Recorders reported them, and the seat changes admins send back.</summary>
public static class SeatServices
{
    public static WebApplicationBuilder AddSeats(this WebApplicationBuilder builder)
    {
        builder.Services.AddStore<SeatStore, LiteDbSeatStore, PostgresSeatStore>(builder.Configuration);
        builder.Services.AddSingleton<ISeatStore>(sp => sp.GetRequiredService<SeatStore>());
        builder.Services.AddSingleton<SeatRelay>();
        return builder;
    }
}
