using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Configuration;

/// <summary>A bad configuration stops the Recorder before it starts, with every bad key named at once.</summary>
public sealed class RecorderConfigurationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Build_MissingSettings_NamesEveryMissingKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => RecorderServices.Build([$"--Site:DataDirectory={_dir.Path}"]));

        Assert.Contains(ex.Failures, f => f.StartsWith("Site:Id", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Uplink:ConsoleUrl", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Uplink:SiteKey", StringComparison.Ordinal));
        Assert.Contains("Capture:Cameras must list at least one camera.", ex.Failures);
    }

    [Fact]
    public void Build_MalformedSettingsFile_SaysWhichFile()
    {
        var file = _dir.Combine("recorder.json");
        File.WriteAllText(file, "{ \"Site\": { \"Id\": ");

        var ex = Assert.Throws<OptionsValidationException>(() => RecorderServices.Build(["--settings", file]));

        Assert.Contains(file, ex.Failures.Single(), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Failures.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnconvertibleDuration_NamesTheKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => RecorderServices.Build(
            ["--Site:Id=hall", "--Site:Name=h", "--Uplink:ConsoleUrl=http://127.0.0.1:1", "--Uplink:SiteKey=k", "--Uplink:HeartbeatInterval=soon",
             "--Capture:Cameras:0:Id=cam", "--Capture:Cameras:0:Url=rtsp://127.0.0.1/x", $"--Site:DataDirectory={_dir.Path}"]));

        Assert.Contains(ex.Failures, f => f.Contains("Uplink:HeartbeatInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_CompleteSettings_Succeeds()
    {
        using var host = RecorderServices.Build(
            ["--Site:Id=hall", "--Site:Name=h", "--Uplink:ConsoleUrl=http://127.0.0.1:1", "--Uplink:SiteKey=k",
             "--Capture:Cameras:0:Id=cam", "--Capture:Cameras:0:Url=rtsp://127.0.0.1/x", $"--Site:DataDirectory={_dir.Path}"]);

        Assert.NotNull(host.Services);
    }

    [Theory]
    [InlineData("never", ServiceHall.Recorder.Capture.KeyFrameDecoding.Never)]
    [InlineData("Always", ServiceHall.Recorder.Capture.KeyFrameDecoding.Always)]
    public void Build_KeyFrameDecodingWord_BindsWhateverItsCase(string word, ServiceHall.Recorder.Capture.KeyFrameDecoding expected)
    {
        using var host = RecorderServices.Build(CompleteWith($"--Capture:DecodeKeyFramesOnly={word}"));

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<ServiceHall.Recorder.Capture.CaptureOptions>>().Value.DecodeKeyFramesOnly);
    }

    [Fact]
    public void Build_UnknownKeyFrameDecodingWord_NamesTheKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => RecorderServices.Build(CompleteWith("--Capture:DecodeKeyFramesOnly=sometimes")));

        Assert.Contains(ex.Failures, f => f.Contains("Capture:DecodeKeyFramesOnly", StringComparison.Ordinal));
    }

    /// <summary>A complete, valid command line plus one more setting.</summary>
    private string[] CompleteWith(string setting) =>
        ["--Site:Id=hall", "--Site:Name=h", "--Uplink:ConsoleUrl=http://127.0.0.1:1", "--Uplink:SiteKey=k", setting,
         "--Capture:Cameras:0:Id=cam", "--Capture:Cameras:0:Url=rtsp://127.0.0.1/x", $"--Site:DataDirectory={_dir.Path}"];
}
