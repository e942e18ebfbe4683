using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Recording;

/// <summary>Registers recording, retention and clip export.</summary>
public static class RecordingServices
{
    public static IServiceCollection AddRecording(this IServiceCollection services)
    {
        services.AddSingleton<SegmentIndex>();
        services.AddSingleton<RecordingSessions>();
        services.AddSingleton<IRecordingOutput>(sp => sp.GetRequiredService<RecordingSessions>());
        services.AddSingleton<SegmentCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<SegmentCollector>());
        services.AddSingleton<HoldKeeper>();
        services.AddHostedService<HoldRequestListener>();
        services.AddSingleton<ClipFolder>();
        services.AddSingleton<ClipExporter>();
        services.AddSingleton<ClipRequestService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClipRequestService>());
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        return services;
    }
}
