using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Cameras;

/// <summary>A real Recorder with a camera password in its settings: the password is in no log line, heartbeat text or event.</summary>
public sealed class CredentialRedactionTests : IDisposable
{
    // Reserved characters, so the test also catches the password in its percent-encoded form.
    private const string Password = "S3cret@pw:1";
    private static readonly string[] PasswordForms = [Password, Uri.EscapeDataString(Password), "S3cret"];

    private readonly TempDirectory _dir = new();
    private readonly LogCollector _logs = new();

    public void Dispose()
    {
        _logs.Dispose();
        _dir.Dispose();
    }

    private IHost Recorder(params string[] camera) => RecorderServices.Build(
        [
            "--Site:Id=hall", "--Site:Name=h", $"--Site:DataDirectory={_dir.Path}",
            $"--Uplink:ConsoleUrl=http://127.0.0.1:{Loopback.FreePort()}", "--Uplink:SiteKey=k",
            "--Recording:Enabled=false", "--Live:Enabled=false",
            "--Capture:ReconnectInitialDelay=00:00:00.200", "--Capture:ReconnectMaxDelay=00:00:01",
            "--Capture:Cameras:0:Id=cam-1", "--Capture:Cameras:0:Name=c", "--Capture:Cameras:0:Username=admin", $"--Capture:Cameras:0:Password={Password}",
            .. camera,
        ],
        builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(_logs);
        });

    private static void AssertNoPassword(string text)
    {
        foreach (var form in PasswordForms)
        {
            Assert.DoesNotContain(form, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnreachableCamera_HeartbeatErrorEventAndLog_HaveNoPassword()
    {
        using var host = Recorder("--Capture:Cameras:0:Vendor=hikvision", "--Capture:Cameras:0:Host=127.0.0.1", $"--Capture:Cameras:0:Port={Loopback.FreePort()}");

        var (error, lostEvent) = await DownAsync(host);

        Assert.Contains("Connection refused", error, StringComparison.Ordinal);
        AssertNoPassword(error);
        AssertNoPassword(lostEvent);
        Assert.All(_logs.Lines, AssertNoPassword);
    }

    [Fact]
    public async Task CameraAnsweringGarbage_ErrorNamesTheStreamRedacted()
    {
        // ffprobe names the URL in its message when the camera answers something that is not RTSP.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var garbage = AnswerGarbageAsync(listener, stop.Token);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var host = Recorder("--Capture:Cameras:0:Vendor=hikvision", "--Capture:Cameras:0:Host=127.0.0.1", $"--Capture:Cameras:0:Port={port}");

        var (error, lostEvent) = await DownAsync(host);
        await stop.CancelAsync();
        await garbage;

        Assert.Contains($"rtsp://***@127.0.0.1:{port}/Streaming/Channels/101", error, StringComparison.Ordinal);
        AssertNoPassword(error);
        Assert.Contains($"rtsp://***@127.0.0.1:{port}/Streaming/Channels/101", lostEvent, StringComparison.Ordinal);
        AssertNoPassword(lostEvent);
        Assert.Contains(_logs.Lines, l => l.Contains("rtsp://***@127.0.0.1", StringComparison.Ordinal));
        Assert.All(_logs.Lines, AssertNoPassword);
    }

    /// <summary>Runs the Recorder until its camera is reported down: the heartbeat's error text and the CameraLost event's JSON.</summary>
    private async Task<(string Error, string LostEvent)> DownAsync(IHost host)
    {
        await host.StartAsync();
        try
        {
            var states = host.Services.GetRequiredService<CameraStates>();
            var health = await Eventually.Until(
                () => states.Report()[0] is { Online: false, Error: { } e } r && e != "connecting" ? r : null, TimeSpan.FromSeconds(30), "the camera reported down");
            var outbox = host.Services.GetRequiredService<Outbox>();
            var lost = await Eventually.Until(() => outbox.Peek(100, 1 << 20).FirstOrDefault(e => e.Event is CameraLost), TimeSpan.FromSeconds(10), "CameraLost in the outbox");
            await Eventually.True(() => _logs.Count(": down (") > 0, TimeSpan.FromSeconds(10), "the camera-down log line");
            return (health.Error!, JsonSerializer.Serialize(lost.Event, lost.Event.GetType()));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task AnswerGarbageAsync(TcpListener listener, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(ct);
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[4096], ct);
                await stream.WriteAsync("garbage\r\n\r\n"u8.ToArray(), ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task CameraThatAnswers_FfmpegCommandLineIsLoggedRedacted()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240);
        using var host = Recorder("--Capture:Cameras:0:Vendor=generic", $"--Capture:Cameras:0:Url={camera.Url("cam")}");
        await host.StartAsync();
        try
        {
            var starting = await Eventually.Until(() => _logs.Lines.FirstOrDefault(l => l.Contains(": starting ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "ffmpeg's command line in the log");
            await Eventually.True(() => host.Services.GetRequiredService<CameraStates>().Report()[0].Online, TimeSpan.FromSeconds(30), "the camera online");

            Assert.Contains($"rtsp://***@127.0.0.1:{camera.Port}/cam", starting, StringComparison.Ordinal);
            Assert.All(_logs.Lines, AssertNoPassword);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
