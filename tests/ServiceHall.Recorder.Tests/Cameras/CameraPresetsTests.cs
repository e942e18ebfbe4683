using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Tests.Cameras;

/// <summary>Each vendor's main and sub stream URLs, and the settings that cannot make them.</summary>
public sealed class CameraPresetsTests
{
    private const string Key = "Capture:Cameras:0";

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static CameraStreams Streams(CameraAddress address, Func<string, string?>? environment = null)
    {
        var (streams, errors) = CameraAddressing.Resolve(address, Key, environment ?? NoEnvironment);
        Assert.Empty(errors);
        return streams!;
    }

    private static IReadOnlyList<string> Errors(CameraAddress address, Func<string, string?>? environment = null)
    {
        var (streams, errors) = CameraAddressing.Resolve(address, Key, environment ?? NoEnvironment);
        Assert.Null(streams);
        return errors;
    }

    [Theory]
    [InlineData("hikvision", 1, "rtsp://10.0.0.5:554/Streaming/Channels/101", "rtsp://10.0.0.5:554/Streaming/Channels/102")]
    [InlineData("hikvision", 16, "rtsp://10.0.0.5:554/Streaming/Channels/1601", "rtsp://10.0.0.5:554/Streaming/Channels/1602")]
    [InlineData("dahua", 1, "rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=0", "rtsp://10.0.0.5:554/cam/realmonitor?channel=1&subtype=1")]
    [InlineData("dahua", 3, "rtsp://10.0.0.5:554/cam/realmonitor?channel=3&subtype=0", "rtsp://10.0.0.5:554/cam/realmonitor?channel=3&subtype=1")]
    [InlineData("uniview", 1, "rtsp://10.0.0.5:554/unicast/c1/s0/live", "rtsp://10.0.0.5:554/unicast/c1/s1/live")]
    [InlineData("Uniview", 2, "rtsp://10.0.0.5:554/unicast/c2/s0/live", "rtsp://10.0.0.5:554/unicast/c2/s1/live")]
    public void Resolve_Vendor_GivesItsMainAndSubStream(string vendor, int channel, string main, string sub)
    {
        var streams = Streams(new CameraAddress(null, Vendor: vendor, Host: "10.0.0.5", Channel: channel));

        Assert.Equal((main, sub), (streams.Url, streams.AnalysisUrl));
    }

    [Fact]
    public void Resolve_DefaultsAndOtherPort_ArePort554AndChannel1()
    {
        Assert.Equal("rtsp://cam-7.hall.local:554/Streaming/Channels/101", Streams(new CameraAddress(null, Vendor: "hikvision", Host: "cam-7.hall.local")).Url);
        Assert.Equal("rtsp://10.0.0.5:8554/unicast/c1/s1/live", Streams(new CameraAddress(null, Vendor: "uniview", Host: "10.0.0.5", Port: 8554)).AnalysisUrl);
        Assert.Equal("rtsp://[fd00::5]:554/Streaming/Channels/101", Streams(new CameraAddress(null, Vendor: "hikvision", Host: "fd00::5")).Url);
    }

    [Fact]
    public void Resolve_Credentials_GoIntoBothUrlsPercentEncoded()
    {
        var streams = Streams(new CameraAddress(null, Vendor: "dahua", Host: "10.0.0.5", Username: "admin", Password: "p@ss:w/rd"));

        Assert.Equal("rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.5:554/cam/realmonitor?channel=1&subtype=0", streams.Url);
        Assert.Equal("rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.5:554/cam/realmonitor?channel=1&subtype=1", streams.AnalysisUrl);
    }

    [Fact]
    public void Resolve_PasswordEnv_ReadsThePasswordFromThatVariable()
    {
        var streams = Streams(
            new CameraAddress(null, Vendor: "hikvision", Host: "10.0.0.5", Username: "admin", PasswordEnv: "CAM1_PASSWORD"),
            name => name == "CAM1_PASSWORD" ? "S3cret!" : null);

        Assert.Equal("rtsp://admin:S3cret%21@10.0.0.5:554/Streaming/Channels/101", streams.Url);
    }

    [Fact]
    public void Resolve_GenericVendor_AddsCredentialsToTheGivenUrls()
    {
        var streams = Streams(new CameraAddress(
            "rtsp://10.0.0.9/onvif/profile1/media.smp", "rtsp://10.0.0.9/onvif/profile2/media.smp", Vendor: "generic", Username: "viewer", Password: "pw"));

        Assert.Equal(("rtsp://viewer:pw@10.0.0.9/onvif/profile1/media.smp", "rtsp://viewer:pw@10.0.0.9/onvif/profile2/media.smp"), (streams.Url, streams.AnalysisUrl));
    }

    [Fact]
    public void Resolve_NoVendor_KeepsTheUrlsAsGiven()
    {
        var streams = Streams(new CameraAddress("rtsp://u:p@10.0.0.5/main", "rtsp://u:p@10.0.0.5/sub"));

        Assert.Equal(("rtsp://u:p@10.0.0.5/main", "rtsp://u:p@10.0.0.5/sub"), (streams.Url, streams.AnalysisUrl));
    }

    [Fact]
    public void Resolve_ItsOwnResult_GivesTheSameResult()
    {
        var address = new CameraAddress(null, Vendor: "hikvision", Host: "10.0.0.5", Channel: 2, Username: "admin", Password: "p@ss");
        var first = Streams(address);

        var again = Streams(address with { Url = first.Url, AnalysisUrl = first.AnalysisUrl });

        Assert.Equal(first, again);
    }

    [Fact]
    public void Resolve_UrlThatAgreesWithThePreset_IsAccepted()
    {
        var streams = Streams(new CameraAddress("rtsp://10.0.0.5/Streaming/channels/101", Vendor: "hikvision", Host: "10.0.0.5", Username: "admin", Password: "pw"));

        Assert.Equal("rtsp://admin:pw@10.0.0.5/Streaming/channels/101", streams.Url);
    }

    [Fact]
    public void Resolve_CredentialsWrittenIntoUrl_ServeTheSubStreamToo()
    {
        var streams = Streams(new CameraAddress("rtsp://admin:p%40ss@10.0.0.5:554/unicast/c1/s0/live", Vendor: "uniview", Host: "10.0.0.5"));

        Assert.Equal("rtsp://admin:p%40ss@10.0.0.5:554/unicast/c1/s1/live", streams.AnalysisUrl);
    }

    [Fact]
    public void Resolve_UnknownVendor_NamesTheKeyAndTheChoices()
    {
        var error = Assert.Single(Errors(new CameraAddress(null, Vendor: "axis", Host: "10.0.0.5")));

        Assert.Equal("Capture:Cameras:0:Vendor 'axis' must be one of hikvision, dahua, uniview, generic.", error);
    }

    [Fact]
    public void Resolve_VendorWithoutHost_SaysHostIsRequired() =>
        Assert.StartsWith("Capture:Cameras:0:Host is required with Capture:Cameras:0:Vendor hikvision", Assert.Single(Errors(new CameraAddress(null, Vendor: "hikvision"))), StringComparison.Ordinal);

    [Theory]
    [InlineData(0, 1, "Capture:Cameras:0:Port 0 must be between 1 and 65535")]
    [InlineData(70000, 1, "Capture:Cameras:0:Port 70000 must be between 1 and 65535")]
    [InlineData(554, 0, "Capture:Cameras:0:Channel 0 must be between 1 and 512")]
    public void Resolve_BadPortOrChannel_NamesTheKey(int port, int channel, string expected) =>
        Assert.StartsWith(expected, Assert.Single(Errors(new CameraAddress(null, Vendor: "dahua", Host: "10.0.0.5", Port: port, Channel: channel))), StringComparison.Ordinal);

    [Fact]
    public void Resolve_BadHost_NamesTheKey() =>
        Assert.Equal("Capture:Cameras:0:Host 'cam 1!' is not an IP address or host name.", Assert.Single(Errors(new CameraAddress(null, Vendor: "uniview", Host: "cam 1!"))));

    [Fact]
    public void Resolve_UrlDisagreeingWithThePreset_NamesTheKeyWithoutTheCredentials()
    {
        var error = Assert.Single(Errors(new CameraAddress("rtsp://admin:S3cret@10.0.0.6:554/Streaming/Channels/101", Vendor: "hikvision", Host: "10.0.0.5")));

        Assert.StartsWith("Capture:Cameras:0:Url 'rtsp://***@10.0.0.6:554/Streaming/Channels/101' is not the hikvision stream 'rtsp://10.0.0.5:554/Streaming/Channels/101'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AnalysisUrlDisagreeingWithThePreset_NamesTheKey() =>
        Assert.StartsWith(
            "Capture:Cameras:0:AnalysisUrl 'rtsp://10.0.0.5:554/Streaming/Channels/103' is not the hikvision stream",
            Assert.Single(Errors(new CameraAddress(null, "rtsp://10.0.0.5:554/Streaming/Channels/103", Vendor: "hikvision", Host: "10.0.0.5"))),
            StringComparison.Ordinal);

    [Fact]
    public void Resolve_UrlWithOtherCredentialsThanTheKeys_IsRefused() =>
        Assert.StartsWith(
            "Capture:Cameras:0:Url carries credentials other than Username",
            Assert.Single(Errors(new CameraAddress("rtsp://admin:old@10.0.0.9/x", Vendor: "generic", Username: "admin", Password: "new"))),
            StringComparison.Ordinal);

    [Fact]
    public void Resolve_PresetKeysWithoutVendor_NameEachKey()
    {
        var errors = Errors(new CameraAddress("rtsp://10.0.0.5/x", Host: "10.0.0.5", Channel: 2, Username: "admin"));

        Assert.Equal(
            ["Capture:Cameras:0:Host needs Capture:Cameras:0:Vendor (hikvision, dahua, uniview, generic).",
             "Capture:Cameras:0:Channel needs Capture:Cameras:0:Vendor (hikvision, dahua, uniview, generic).",
             "Capture:Cameras:0:Username needs Capture:Cameras:0:Vendor (hikvision, dahua, uniview, generic)."],
            errors);
    }

    [Fact]
    public void Resolve_GenericWithoutUrlOrWithHost_NamesTheKeys()
    {
        var errors = Errors(new CameraAddress(null, Vendor: "generic", Host: "10.0.0.5"));

        Assert.Contains(errors, e => e.StartsWith("Capture:Cameras:0:Host has no use with Capture:Cameras:0:Vendor generic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Capture:Cameras:0:Url is required with Vendor generic", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_PasswordEnvNotSet_NamesTheVariable() =>
        Assert.Equal(
            "Capture:Cameras:0:PasswordEnv names the environment variable 'CAM9_PASSWORD', which is not set.",
            Assert.Single(Errors(new CameraAddress(null, Vendor: "hikvision", Host: "10.0.0.5", Username: "admin", PasswordEnv: "CAM9_PASSWORD"))));

    [Fact]
    public void Resolve_PasswordAndPasswordEnvBoth_AskToKeepOne() =>
        Assert.StartsWith(
            "Capture:Cameras:0:Password and Capture:Cameras:0:PasswordEnv are both set",
            Assert.Single(Errors(new CameraAddress(null, Vendor: "hikvision", Host: "10.0.0.5", Username: "admin", Password: "a", PasswordEnv: "V"), _ => "b")),
            StringComparison.Ordinal);

    [Fact]
    public void Resolve_PasswordWithoutUsername_AsksForTheUsername() =>
        Assert.Equal(
            "Capture:Cameras:0:Username is required when a password is given.",
            Assert.Single(Errors(new CameraAddress(null, Vendor: "dahua", Host: "10.0.0.5", Password: "pw"))));
}
