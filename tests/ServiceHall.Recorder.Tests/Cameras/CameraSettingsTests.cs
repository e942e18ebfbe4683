using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Cameras;

/// <summary>Vendor presets in a real Recorder's settings: they fill the stream URLs, or stop the start with the bad keys named.</summary>
public sealed class CameraSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] With(params string[] camera) =>
        ["--Site:Id=hall", "--Site:Name=h", "--Uplink:ConsoleUrl=http://127.0.0.1:1", "--Uplink:SiteKey=k", $"--Site:DataDirectory={_dir.Path}",
         "--Capture:Cameras:0:Id=cam-1", .. camera];

    [Fact]
    public void Build_HikvisionPresetWithPasswordFromTheEnvironment_FillsBothStreams()
    {
        var variable = $"SH_TEST_CAM_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "p@ss word");
        try
        {
            using var host = RecorderServices.Build(With(
                "--Capture:Cameras:0:Vendor=hikvision", "--Capture:Cameras:0:Host=192.168.1.64", "--Capture:Cameras:0:Channel=2",
                "--Capture:Cameras:0:Username=admin", $"--Capture:Cameras:0:PasswordEnv={variable}"));

            var camera = host.Services.GetRequiredService<IOptions<CaptureOptions>>().Value.Cameras[0];
            Assert.Equal("rtsp://admin:p%40ss%20word@192.168.1.64:554/Streaming/Channels/201", camera.Url);
            Assert.Equal("rtsp://admin:p%40ss%20word@192.168.1.64:554/Streaming/Channels/202", camera.AnalysisUrl);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void Build_AnalysisUrlWithoutVendor_IsKeptAsGiven()
    {
        using var host = RecorderServices.Build(With("--Capture:Cameras:0:Url=rtsp://127.0.0.1/main", "--Capture:Cameras:0:AnalysisUrl=rtsp://127.0.0.1/sub"));

        var camera = host.Services.GetRequiredService<IOptions<CaptureOptions>>().Value.Cameras[0];
        Assert.Equal(("rtsp://127.0.0.1/main", "rtsp://127.0.0.1/sub"), (camera.Url, camera.AnalysisUrl));
    }

    [Fact]
    public void Build_BadPresetKeys_NamesEachKeyOnItsLineWithoutThePassword()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => RecorderServices.Build(With(
            "--Capture:Cameras:0:Vendor=dahua", "--Capture:Cameras:0:Port=0", "--Capture:Cameras:0:Channel=-1",
            "--Capture:Cameras:0:Username=admin", "--Capture:Cameras:0:Password=S3cret-pw",
            "--Capture:Cameras:0:AnalysisUrl=http://127.0.0.1/sub",
            "--Capture:Cameras:1:Id=cam-2", "--Capture:Cameras:1:Vendor=axis", "--Capture:Cameras:1:Host=10.0.0.2",
            "--Capture:Cameras:2:Id=cam-3", "--Capture:Cameras:2:Url=rtsp://admin:S3cret-pw@10.0.0.3/a", "--Capture:Cameras:2:Vendor=hikvision", "--Capture:Cameras:2:Host=10.0.0.3")));

        Assert.Contains(ex.Failures, f => f.StartsWith("Capture:Cameras:0:Host is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Capture:Cameras:0:Port 0 must be between 1 and 65535", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Capture:Cameras:0:Channel -1 must be between 1 and 512", StringComparison.Ordinal));
        Assert.Contains("Capture:Cameras:1:Vendor 'axis' must be one of hikvision, dahua, uniview, generic.", ex.Failures);
        Assert.Contains(ex.Failures, f => f.StartsWith("Capture:Cameras:2:Url 'rtsp://***@10.0.0.3/a' is not the hikvision stream", StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain("S3cret", f, StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain('\n', f));
    }

    [Fact]
    public void Build_UnusableUrlWithCredentials_ShowsItRedacted()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => RecorderServices.Build(With("--Capture:Cameras:0:Url=http://admin:S3cret-pw@10.0.0.3/a")));

        Assert.Contains("Capture:Cameras:0:Url 'http://***@10.0.0.3/a' must be an rtsp:// URL or an absolute file path.", ex.Failures);
    }
}
