using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Capture;

public sealed class CaptureFailureTests : IDisposable
{
    private readonly LogCollector _logs = new();

    public void Dispose() => _logs.Dispose();

    // Printed by ffmpeg 6 and ffprobe against GStreamer's RTSP server with a wrong password (tools/rtsp-camera.py --user --password).
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
        await using var server = new RtspCamera(Loopback.FreePort(), "/cam=test:320x240@10") { Credentials = ("admin", "right-one") };
        await server.StartAsync();
        var options = new CaptureOptions { Cameras = [new CameraOptions { Id = "cam-1", Name = "一号", Url = server.Url("cam").Replace("rtsp://", "rtsp://admin:Secret-Wrong@", StringComparison.Ordinal) }] };
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
}
