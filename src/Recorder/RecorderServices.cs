using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Diagnostics;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Uplink;

namespace ServiceHall.Recorder;

/// <summary>Wires the Recorder's features into a host.</summary>
public static class RecorderServices
{
    public static IHostApplicationBuilder AddRecorderServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiteOptions>().Bind(builder.Configuration.GetSection(SiteOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UplinkOptions>().Bind(builder.Configuration.GetSection(UplinkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CaptureOptions>().Bind(builder.Configuration.GetSection(CaptureOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CaptureOptions>, CaptureOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ReportTrigger>();
        services.AddSingleton<CameraStates>();
        services.AddSingleton<IFrameConsumer>(sp => sp.GetRequiredService<CameraStates>());

        services.AddSingleton<ConsoleLink>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleLink>());
        services.AddHostedService<CaptureService>();
        services.AddHostedService<HeartbeatService>();
        return builder;
    }

    /// <summary>Builds the Recorder host; tests call this to run a real Recorder in-process.</summary>
    public static IHost Build(string[] args, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddRecorderServices();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
