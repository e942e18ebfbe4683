using System.Text.Json;
using System.Xml.Linq;
using ServiceHall.Recorder.Cameras;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Cameras;

/// <summary>`cameras profiles` against a fake ONVIF device on real Kestrel, `cameras discover` against a UDP responder on 127.0.0.1.</summary>
public sealed class CameraCommandsTests
{
    private const string Password = "Hall-pw@1";
    private const string PasswordVariable = "CAM3_PASSWORD";

    private static readonly Func<string, string?> Environment = name => name == PasswordVariable ? Password : null;

    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CameraCommands.RunAsync(args, output, error, Environment, timeout.Token);
        return new Run(code, output.ToString(), error.ToString());
    }

    private static Task<Run> ProfilesAsync(FakeOnvifDevice device, params string[] more) =>
        RunAsync(["profiles", $"127.0.0.1:{device.BaseAddress.Port}", "--user", FakeOnvifDevice.User, "--password-env", PasswordVariable, "--timeout", "5s", .. more]);

    [Fact]
    public async Task Profiles_OnvifDevice_PrintsASettingsBlockWithBothStreamsAndNoPassword()
    {
        await using var device = await FakeOnvifDevice.StartAsync(Password);

        var run = await ProfilesAsync(device, "--id", "cam-3");

        Assert.True(run.ExitCode == 0, run.Error);
        using var block = JsonDocument.Parse(run.Output);
        var camera = block.RootElement;
        Assert.Equal("cam-3", camera.GetProperty("Id").GetString());
        Assert.Equal("generic", camera.GetProperty("Vendor").GetString());
        Assert.Equal(FakeOnvifDevice.StreamUriOf("Profile_1"), camera.GetProperty("Url").GetString());
        Assert.Equal(FakeOnvifDevice.StreamUriOf("Profile_2"), camera.GetProperty("AnalysisUrl").GetString());
        Assert.Equal(FakeOnvifDevice.User, camera.GetProperty("Username").GetString());
        Assert.Equal(PasswordVariable, camera.GetProperty("PasswordEnv").GetString());
        Assert.False(camera.TryGetProperty("Password", out _));
        Assert.DoesNotContain(Password, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("\"Url\": \"rtsp://192.168.0.10:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1\"", run.Output, StringComparison.Ordinal);
        Assert.Contains("'mainStream' (Profile_1), H264 1920x1080", run.Error, StringComparison.Ordinal);
        Assert.Contains("'subStream' (Profile_2), H264 640x360", run.Error, StringComparison.Ordinal);
        // Its clock was read without credentials; every other call carried a token the device accepted.
        Assert.Equal(
            ["GetSystemDateAndTime anonymous", "GetServices authenticated", "GetProfiles authenticated", "GetStreamUri authenticated", "GetStreamUri authenticated"],
            device.Calls);
    }

    [Fact]
    public async Task Profiles_PrintedBlock_IsValidCameraSettings()
    {
        await using var device = await FakeOnvifDevice.StartAsync(Password);
        var run = await ProfilesAsync(device);
        using var block = JsonDocument.Parse(run.Output);
        var camera = block.RootElement;

        var (streams, errors) = CameraAddressing.Resolve(
            new CameraAddress(camera.GetProperty("Url").GetString(), camera.GetProperty("AnalysisUrl").GetString(), camera.GetProperty("Vendor").GetString(),
                Username: camera.GetProperty("Username").GetString(), PasswordEnv: camera.GetProperty("PasswordEnv").GetString()),
            "Capture:Cameras:0",
            Environment);

        Assert.Empty(errors);
        Assert.Equal("rtsp://admin:Hall-pw%401@192.168.0.10:554/Streaming/Channels/102?transportmode=unicast&profile=Profile_2", streams!.AnalysisUrl);
    }

    [Fact]
    public async Task Profiles_WrongPassword_SaysAuthenticationFailedAndExitsNonZero()
    {
        await using var device = await FakeOnvifDevice.StartAsync("another password");

        var run = await ProfilesAsync(device);

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cameras: authentication failed: ", line, StringComparison.Ordinal);
        Assert.Contains("Sender not Authorized", line, StringComparison.Ordinal);
        Assert.Contains("GetServices refused", device.Calls);
    }

    [Fact]
    public async Task Profiles_HttpDigestOnlyDevice_SaysAuthenticationFailed()
    {
        await using var device = await FakeOnvifDevice.StartAsync(Password, op => op == "GetSystemDateAndTime" ? null : new RawAnswer(401, "text/html", "<html>401</html>"));

        var run = await ProfilesAsync(device);

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.StartsWith("cameras: authentication failed: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profiles_WebServerThatIsNotOnvif_SaysSoInOneLine()
    {
        await using var device = await FakeOnvifDevice.StartAsync(Password, _ => new RawAnswer(200, "text/html", "<html><body>Router login</body></html>"));

        var run = await ProfilesAsync(device);

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("did not answer as an ONVIF device (no SOAP 1.2 envelope but <html>)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profiles_NotFound_SaysTheHttpStatus()
    {
        await using var device = await FakeOnvifDevice.StartAsync(Password, op => op == "GetServices" ? new RawAnswer(404, "text/plain", "Not Found") : null);

        var run = await ProfilesAsync(device);

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.Contains("answered GetServices with HTTP 404 Not Found, not as an ONVIF device", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profiles_MalformedXml_SaysSoInOneLine()
    {
        await using var device = await FakeOnvifDevice.StartAsync(Password, op => op == "GetProfiles"
            ? new RawAnswer(200, "application/soap+xml", "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><trt:GetProfilesResponse>")
            : null);

        var run = await ProfilesAsync(device);

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/onvif/Media answered with malformed XML", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profiles_NobodyListening_SaysItCannotReachTheDevice()
    {
        var run = await RunAsync("profiles", $"127.0.0.1:{Loopback.FreePort()}", "--user", "admin", "--password-env", PasswordVariable);

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.StartsWith("cameras: cannot reach http://127.0.0.1:", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--user", "admin", "--password-env", "UNSET_VARIABLE", "the environment variable 'UNSET_VARIABLE' is not set")]
    [InlineData("--user", "admin", "--id", "x", "--user and --password-env go together")]
    [InlineData("--password", "secret", "--id", "x", "unknown option --password")]
    public async Task Profiles_BadArguments_ExitWithUsage(string a, string b, string c, string d, string expected)
    {
        var run = await RunAsync("profiles", "127.0.0.1", a, b, c, d);

        Assert.Equal(CameraCommands.UsageError, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_DeviceAnswersTheProbe_PrintsItsAddressNameAndHardware()
    {
        await using var responder = new FakeDiscoveryResponder();

        var run = await RunAsync("discover", "--target", responder.Address.ToString(), "--interface-address", "127.0.0.1", "--timeout", "10s");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"127.0.0.1  name: ARV-453 Hall A  hardware: D1-566  ({FakeDiscoveryResponder.Endpoint})", run.Output, StringComparison.Ordinal);
        Assert.Contains("  device service: http://127.0.0.1:8080/onvif/device_service", run.Output, StringComparison.Ordinal);
        await Eventually.True(() => responder.Probes.Count == 2, TimeSpan.FromSeconds(5), "one probe per device type");
        XNamespace d = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
        Assert.Equal(["t:Device", "t:NetworkVideoTransmitter"], responder.Probes.Select(p => p.Descendants(d + "Types").Single().Value).Order());
    }

    [Fact]
    public async Task Discover_AnswerToAnotherProbe_IsIgnored()
    {
        await using var responder = new FakeDiscoveryResponder(_ => FakeDiscoveryResponder.ProbeMatches("urn:uuid:someone-else"));

        var run = await RunAsync("discover", "--target", responder.Address.ToString(), "--interface-address", "127.0.0.1", "--timeout", "1s");

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.Contains("no ONVIF device answered within 1 s", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request", "answered with malformed XML")]
    [InlineData("<html><body>hello</body></html>", "did not answer as an ONVIF device")]
    [InlineData("<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><Hello/></env:Body></env:Envelope>", "answered the probe with <Hello>, not a WS-Discovery ProbeMatches")]
    public async Task Discover_AnswerThatIsNotProbeMatches_SaysSoAndExitsNonZero(string answer, string expected)
    {
        await using var responder = new FakeDiscoveryResponder(_ => answer);

        var run = await RunAsync("discover", "--target", responder.Address.ToString(), "--interface-address", "127.0.0.1", "--timeout", "10s");

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData("192.0.2.1", CameraCommands.Failed, "cannot probe from 192.0.2.1: ")]
    [InlineData("::1", CameraCommands.UsageError, "--interface-address '::1' is not an IPv4 address of this box")]
    public async Task Discover_InterfaceAddressItCannotUse_SaysSo(string address, int exitCode, string expected)
    {
        // The target stays on loopback, so nothing is sent to the multicast group whatever this box's addresses are.
        var run = await RunAsync("discover", "--target", $"127.0.0.1:{Loopback.FreePort()}", "--interface-address", address, "--timeout", "500ms");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_NobodyAnswers_SaysSoWithinTheTimeout()
    {
        await using var silent = new FakeDiscoveryResponder(_ => null);

        var run = await RunAsync("discover", "--target", silent.Address.ToString(), "--interface-address", "127.0.0.1", "--timeout", "500ms");

        Assert.Equal(CameraCommands.Failed, run.ExitCode);
        Assert.Contains($"no ONVIF device answered within 0.5 s (probed {silent.Address})", run.Error, StringComparison.Ordinal);
        await Eventually.True(() => silent.Probes.Count == 2, TimeSpan.FromSeconds(5), "one probe per device type");
    }
}
