using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Diagnostics;
using ServiceHall.Recorder.Health;
using ServiceHall.Recorder.Live;
using ServiceHall.Recorder.Recording;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Transport;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Recorder;

/// <summary>Wires the Recorder's features into a host.</summary>
public static class RecorderServices
{
    public const string SettingsKey = "settings";

    /// <summary>Every options class of the Recorder, checked together before start.</summary>
    public static readonly Type[] OptionTypes = [typeof(SiteOptions), typeof(UplinkOptions), typeof(CaptureOptions), typeof(RecordingOptions), typeof(HealthOptions), typeof(OccupancyOptions), typeof(LiveOptions)];

    public static IHostApplicationBuilder AddRecorderServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiteOptions>().Bind(builder.Configuration.GetSection(SiteOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SiteOptions>>(new SectionValidator<SiteOptions>(SiteOptions.Section));
        services.AddOptions<UplinkOptions>().Bind(builder.Configuration.GetSection(UplinkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UplinkOptions>>(new SectionValidator<UplinkOptions>(UplinkOptions.Section));
        services.AddOptions<CaptureOptions>().Bind(builder.Configuration.GetSection(CaptureOptions.Section))
            .PostConfigure(o => CameraStreamSettings.Apply(o, Environment.GetEnvironmentVariable)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CaptureOptions>, CaptureOptionsValidator>();
        services.AddOptions<RecordingOptions>().Bind(builder.Configuration.GetSection(RecordingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RecordingOptions>>(new SectionValidator<RecordingOptions>(RecordingOptions.Section));
        services.AddOptions<HealthOptions>().Bind(builder.Configuration.GetSection(HealthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>>(new SectionValidator<HealthOptions>(HealthOptions.Section));
        services.AddOptions<OccupancyOptions>().Bind(builder.Configuration.GetSection(OccupancyOptions.Section))
            .PostConfigure<IOptions<SiteOptions>>((o, site) => o.Schedule.TimeZone = site.Value.TimeZone).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OccupancyOptions>, OccupancyOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RecorderDatabase>();
        services.AddSingleton<ReportTrigger>();
        services.AddSingleton<CameraStates>();
        services.AddSingleton<EventReporter>();
        services.AddSingleton<IFrameConsumer>(sp => sp.GetRequiredService<CameraStates>());
        services.AddSingleton<IFrameConsumer, TamperDetector>();

        services.AddSingleton<AttendanceLedger>();
        services.AddSingleton<SeatOverrides>();
        services.AddSingleton<OccupancyService>();
        services.AddSingleton<IFrameConsumer>(sp => sp.GetRequiredService<OccupancyService>());
        services.AddHostedService(sp => sp.GetRequiredService<OccupancyService>());

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<UplinkOptions>>().Value.CaCertificate is { Length: > 0 } ca ? TlsTrust.PinnedTo(ca) : TlsTrust.System);
        services.AddSingleton<ConsoleLink>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleLink>());
        services.AddSingleton<Outbox>();
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<Outbox>());
        services.AddHostedService<OutboxSender>();
        services.AddSingleton<SeatSync>();
        services.AddHostedService(sp => sp.GetRequiredService<SeatSync>());
        services.AddHostedService<CaptureService>();
        services.AddHostedService<HeartbeatService>();
        services.AddRecording();
        builder.AddLive();
        return builder;
    }

    /// <summary>Builds the Recorder host; tests call this to run a real Recorder in-process.</summary>
    public static IHost Build(string[] args, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // An installation's own settings file (--settings PATH) overrides the embedded defaults; command line and environment still win.
        if (builder.Configuration[SettingsKey] is { Length: > 0 } settings)
        {
            var path = Path.GetFullPath(settings);
            if (!File.Exists(path))
            {
                throw new OptionsValidationException(SettingsKey, typeof(string), [$"--settings: file '{path}' does not exist."]);
            }

            var source = new JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
            source.ResolveFileProvider();
            var afterLastJson = builder.Configuration.Sources.Select((s, i) => (s, i)).Where(x => x.s is JsonConfigurationSource).Select(x => x.i + 1).DefaultIfEmpty(0).Max();
            try
            {
                // Adding a source to the live configuration loads it at once, so a malformed file fails here.
                builder.Configuration.Sources.Insert(afterLastJson, source);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
            {
                throw new OptionsValidationException(SettingsKey, typeof(string), [$"--settings: '{path}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}"]);
            }
        }

        builder.AddRecorderServices();
        configure?.Invoke(builder);
        var host = builder.Build();
        var failures = OptionsCheck.Failures(host.Services, OptionTypes);
        if (failures.Count > 0)
        {
            host.Dispose();
            throw new OptionsValidationException("Recorder", typeof(RecorderServices), failures);
        }

        return host;
    }
}
