using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Review;

/// <summary>Complaint review: clips uploaded by Recorders, and the cases kept from them.</summary>
public static class ReviewServices
{
    public static WebApplicationBuilder AddReview(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<ReviewOptions>(builder.Configuration, ReviewOptions.Section);
        services.AddSingleton<ClipStore>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<TamperAlarm>();
        services.AddSingleton<VerifyGate>();
        services.AddSingleton<IRecorderGreeter, ClipGreeter>();
        return builder;
    }
}
