using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Recording;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>The recording feature's real parts (LiteDB file, collector, retention, exporter) in a temp folder, with a sink that keeps events.</summary>
public sealed class RecordingRig : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _ownsData;

    public RecordingRig(TimeProvider? time = null, Action<RecordingOptions>? configure = null, TempDirectory? data = null)
    {
        _ownsData = data is null;
        Data = data ?? new TempDirectory();
        var recording = new RecordingOptions { SegmentLength = TimeSpan.FromSeconds(2), IndexInterval = TimeSpan.FromMilliseconds(200), MinFreeDiskBytes = 0 };
        configure?.Invoke(recording);
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(new SiteOptions { Id = "hall-1", Name = "测试大厅", DataDirectory = Data.Path }));
        services.AddSingleton(Options.Create(recording));
        services.AddSingleton(Options.Create(new CaptureOptions()));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<RecorderDatabase>();
        services.AddSingleton<IEventSink>(Sink);
        services.AddSingleton<EventReporter>();
        services.AddRecording();
        _services = services.BuildServiceProvider();
    }

    public TempDirectory Data { get; }

    public CollectingSink Sink { get; } = new();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public SegmentIndex Index => Get<SegmentIndex>();

    public RecordingSessions Sessions => Get<RecordingSessions>();

    public SegmentCollector Collector => Get<SegmentCollector>();

    /// <summary>A capture of one camera that records into this rig.</summary>
    public CameraCapture Capture(string cameraId, string url, double fps = 1, IFrameConsumer? analysis = null, CameraStates? states = null, KeyFrameDecoding decoding = KeyFrameDecoding.Auto)
    {
        var options = new CaptureOptions
        {
            AnalysisFps = fps,
            DecodeKeyFramesOnly = decoding,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            Cameras = [new CameraOptions { Id = cameraId, Name = cameraId, Url = url }],
        };
        states ??= new CameraStates(Options.Create(options), new ReportTrigger());
        return new CameraCapture(options.Cameras[0], options, analysis is null ? [states] : [states, analysis], states, Get<TimeProvider>(), NullLogger.Instance, Sessions, Get<EventReporter>());
    }

    public void Dispose()
    {
        _services.Dispose();
        if (_ownsData)
        {
            Data.Dispose();
        }
    }

    /// <summary>Records the camera at <paramref name="url"/> until the index has <paramref name="segments"/> segments of it, then stops.</summary>
    public async Task<IReadOnlyList<SegmentRecord>> RecordSegmentsAsync(string cameraId, string url, int segments, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within + TimeSpan.FromSeconds(30));
        await Collector.StartAsync(cts.Token);
        var run = Capture(cameraId, url).RunAsync(cts.Token);
        await Eventually.True(() => Index.ForCamera(cameraId).Count >= segments, within, $"{segments} segments");
        await cts.CancelAsync();
        await run;
        await Collector.StopAsync(CancellationToken.None);
        return Index.ForCamera(cameraId);
    }

    /// <summary>Runs a tool of the ffmpeg suite and returns its stdout; fails the test on a non-zero exit.</summary>
    public static Task<string> Run(string tool, params string[] arguments) => MediaTools.RunAsync(tool, arguments);
}

/// <summary>Keeps what the Recorder would put in the outbox.</summary>
public sealed class CollectingSink : IEventSink
{
    public ConcurrentQueue<SiteEvent> Events { get; } = new();

    public ValueTask PublishAsync(SiteEvent siteEvent, byte[]? snapshotJpeg, CancellationToken cancellationToken)
    {
        Events.Enqueue(siteEvent);
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<T> OfType<T>() => Events.OfType<T>().ToList();
}
