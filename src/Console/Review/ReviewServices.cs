using ServiceHall.Console.Recorders;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Review;

/// <summary>Complaint review: clips uploaded by Recorders, and the cases kept from them.</summary>
public static class ReviewServices
{
    public static WebApplicationBuilder AddReview(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<ReviewOptions>(builder.Configuration, ReviewOptions.Section);
        services.AddStore<ClipStore, LiteDbClipStore, PostgresClipStore>(builder.Configuration);
        services.AddStore<ICaseStore, LiteDbCaseStore, PostgresCaseStore>(builder.Configuration);
        services.AddSingleton<TamperAlarm>();
        services.AddSingleton<VerifyGate>();
        services.AddSingleton<IRecorderGreeter, ClipGreeter>();
        return builder;
    }
}
