using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Recorder.Live;

/// <summary>Registers watched cameras and live video.</summary>
public static class LiveServices
{
    public static IHostApplicationBuilder AddLive(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LiveOptions>().Bind(builder.Configuration.GetSection(LiveOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LiveOptions>>(new SectionValidator<LiveOptions>(LiveOptions.Section));
        services.AddSingleton<WatchedCameras>();
        services.AddSingleton<LiveOutputs>();
        services.AddSingleton<ILiveOutput>(sp => sp.GetRequiredService<LiveOutputs>());
        services.AddSingleton<LivePublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<LivePublisher>());
        return builder;
    }
}
