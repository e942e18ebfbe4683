using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>A real Recorder host, in-process, pointed at a real Console and a real RTSP camera.</summary>
public sealed class RecorderHarness : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private RecorderHarness(IHost host, LogCollector logs, TempDirectory data)
    {
        Host = host;
        Logs = logs;
        _data = data;
    }

    public IHost Host { get; }

    public LogCollector Logs { get; }

    public static async Task<RecorderHarness> StartAsync(Uri console, string siteId, string key, string cameraUrl, params string[] extra)
    {
        var logs = new LogCollector();
        var data = new TempDirectory();
        string[] args =
        [
            $"--Site:Id={siteId}",
            "--Site:Name=测试大厅",
            $"--Site:DataDirectory={data.Path}",
            $"--Uplink:ConsoleUrl={console}",
            $"--Uplink:SiteKey={key}",
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
        return new RecorderHarness(host, logs, data);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
        _data.Dispose();
    }
}
