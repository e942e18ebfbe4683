using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Capture;

public sealed class CaptureFailureTests : IDisposable
{
    private readonly LogCollector _logs = new();

    public void Dispose() => _logs.Dispose();

    // Printed by ffmpeg 6 and ffprobe against GStreamer's RTSP server with a wrong password (tests/ServiceHall.Testing/rtsp-auth-camera.py).
    [Theory]
    [InlineData("[rtsp @ 0x558c252d9240] method DESCRIBE failed: 401 Unauthorized")]
    [InlineData("rtsp://admin:***@127.0.0.1:18655/cam: Server returned 401 Unauthorized (authorization failed)")]
    [InlineData("ffmpeg produced no frame: [rtsp @ 0x55eb87b4a900] method DESCRIBE failed: 401 Unauthorized | rtsp://admin:***@127.0.0.1:18655/cam: Server returned 401 Unauthorized (authorization failed)")]
    public void Classify_Ffmpeg401Lines_AuthenticationFailed(string line) =>
        Assert.Equal("authentication failed (the camera refused the user name or password)", CaptureFailure.Classify(line));

    [Theory]
    [InlineData("rtsp://127.0.0.1:18655/cam: Connection refused")]
    [InlineData("[rtsp @ 0x55c] method DESCRIBE failed: 404 Not Found")]
    [InlineData("no frame for 10 s")]
    public void Classify_OtherFailures_LeftAsTheyAre(string line) => Assert.Null(CaptureFailure.Classify(line));

    [Fact]
    public async Task Capture_WrongPassword_CameraDownWithAuthenticationFailed_PasswordNowhere()
    {
        var port = Loopback.FreePort();
        using var server = Process.Start(new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(RepoRoot.Path, "tests", "ServiceHall.Testing", "rtsp-auth-camera.py"), "--port", port.ToString(CultureInfo.InvariantCulture), "--user", "admin", "--password", "right-one" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            using (var ready = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
            {
                Assert.StartsWith("ready", await server.StandardOutput.ReadLineAsync(ready.Token) ?? "", StringComparison.Ordinal);
            }

            var options = new CaptureOptions { Cameras = [new CameraOptions { Id = "cam-1", Name = "一号", Url = $"rtsp://admin:Secret-Wrong@127.0.0.1:{port}/cam" }] };
            var states = new CameraStates(Options.Create(options), new ReportTrigger());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var run = new CameraCapture(options.Cameras[0], options, [states], states, TimeProvider.System, _logs.CreateLogger("capture")).RunAsync(cts.Token);

            await Eventually.True(() => states.Report()[0].Error is not null and not "connecting", TimeSpan.FromSeconds(40), "the camera marked down");
            await cts.CancelAsync();
            await run;

            Assert.Equal(CaptureFailure.AuthenticationFailed, states.Report()[0].Error);
            Assert.True(_logs.Count(CaptureFailure.AuthenticationFailed) >= 1, "the log says authentication failed");
            Assert.Equal(0, _logs.Count("Secret-Wrong"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
