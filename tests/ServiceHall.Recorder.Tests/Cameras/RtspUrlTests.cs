using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Tests.Cameras;

public sealed class RtspUrlTests
{
    [Theory]
    [InlineData("rtsp://admin:S3cret@10.0.0.5:554/Streaming/Channels/101", "rtsp://***@10.0.0.5:554/Streaming/Channels/101")]
    [InlineData("rtsp://admin:p%40ss%3Aword@cam.local/x", "rtsp://***@cam.local/x")]
    [InlineData("rtsp://admin:p@ss@10.0.0.5/x", "rtsp://***@10.0.0.5/x")]
    [InlineData("rtsp://10.0.0.5:554/Streaming/Channels/101", "rtsp://10.0.0.5:554/Streaming/Channels/101")]
    [InlineData("rtsp://10.0.0.5/user=admin&password=S3cret&channel=1", "rtsp://10.0.0.5/user=admin&password=***&channel=1")]
    [InlineData("rtsp://10.0.0.5/live?user=admin&pwd=S3cret", "rtsp://10.0.0.5/live?user=admin&pwd=***")]
    public void Redact_OneUrl_HidesItsCredentials(string url, string expected) => Assert.Equal(expected, RtspUrl.Redact(url));

    [Fact]
    public void Redact_FfmpegCommandLineAndMessage_HidesEveryUrlsCredentials()
    {
        const string text = "-rtsp_transport tcp -i \"rtsp://admin:S3cret@10.0.0.5:554/a\" -f null - | Input #0, rtsp, from 'rtsp://u:S3cret@10.0.0.6/b': "
            + "rtsp://u:S3cret@10.0.0.6/b: Server returned 401 Unauthorized (authorization failed)";

        var redacted = RtspUrl.Redact(text);

        Assert.DoesNotContain("S3cret", redacted, StringComparison.Ordinal);
        Assert.Contains("\"rtsp://***@10.0.0.5:554/a\"", redacted, StringComparison.Ordinal);
        Assert.Contains("'rtsp://***@10.0.0.6/b'", redacted, StringComparison.Ordinal);
        Assert.EndsWith("rtsp://***@10.0.0.6/b: Server returned 401 Unauthorized (authorization failed)", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_TextWithoutUrls_IsUnchanged()
    {
        const string text = "ffmpeg produced no frame: Connection refused | mail admin@example.org";

        Assert.Equal(text, RtspUrl.Redact(text));
    }

    [Fact]
    public void WithCredentials_ReservedCharacters_ArePercentEncoded()
    {
        var url = RtspUrl.WithCredentials("rtsp://10.0.0.5:554/x", "ad:min", "p@ss/w:rd #1");

        Assert.Equal("rtsp://ad%3Amin:p%40ss%2Fw%3Ard%20%231@10.0.0.5:554/x", url);
        Assert.Equal("ad:min:p@ss/w:rd #1", RtspUrl.Credentials(url));
        Assert.Equal("10.0.0.5", new Uri(url).Host);
    }

    [Fact]
    public void WithCredentials_UrlWithOtherCredentials_ReplacesThem()
    {
        var url = RtspUrl.WithCredentials("rtsp://old:old@10.0.0.5/x", "admin", "new");

        Assert.Equal("rtsp://admin:new@10.0.0.5/x", url);
        Assert.Equal("rtsp://10.0.0.5/x", RtspUrl.WithoutCredentials(url));
        Assert.Null(RtspUrl.Credentials("rtsp://10.0.0.5/x"));
    }
}
