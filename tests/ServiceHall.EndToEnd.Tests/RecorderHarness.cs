using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>A real Recorder host, in-process, pointed at a real Console and a real RTSP camera.</summary>
public sealed class RecorderHarness : IAsyncDisposable
{
    // Deleted on dispose unless the caller owns it (a Recorder restarted on the same data).
    private readonly TempDirectory? _ownData;

    private RecorderHarness(IHost host, LogCollector logs, TempDirectory? ownData)
    {
        Host = host;
        Logs = logs;
        _ownData = ownData;
    }

    public IHost Host { get; }

    public LogCollector Logs { get; }

    public static async Task<RecorderHarness> StartAsync(Uri console, string siteId, string key, string cameraUrl, params string[] extra)
    {
        var data = new TempDirectory();
        return await StartAsync(data, owned: true, console, siteId, key, cameraUrl, extra);
    }

    /// <summary>A Recorder on the caller's data folder, which outlives it (stop it and start another on the same recording).</summary>
    public static Task<RecorderHarness> StartOnAsync(TempDirectory data, Uri console, string siteId, string key, string cameraUrl, params string[] extra) =>
        StartAsync(data, owned: false, console, siteId, key, cameraUrl, extra);

    private static async Task<RecorderHarness> StartAsync(TempDirectory data, bool owned, Uri console, string siteId, string key, string cameraUrl, string[] extra)
    {
        var logs = new LogCollector();
        string[] args =
        [
            $"--Site:Id={siteId}",
            "--Site:Name=测试大厅",
            $"--Site:DataDirectory={data.Path}",
            $"--Uplink:ConsoleUrl={console}",
            $"--Uplink:SiteKey={key}",
            $"--Uplink:CaCertificate={TestTls.CaPath}",
            "--Uplink:RetryInitialDelay=00:00:00.200",
            "--Uplink:RetryMaxDelay=00:00:02",
            "--Capture:Cameras:0:Id=cam-1",
            "--Capture:Cameras:0:Name=一号摄像机",
            $"--Capture:Cameras:0:Url={cameraUrl}",
            "--Capture:ReconnectMaxDelay=00:00:03",
            .. extra,
        ];
        var host = RecorderServices.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await host.StartAsync();
        return new RecorderHarness(host, logs, owned ? data : null);
    }

    private bool _disposed;

    /// <summary>Stops the Recorder; a second call does nothing (a test may stop it early).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
        _ownData?.Dispose();
    }
}
