using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

public sealed class CaptureOptionsValidatorTests
{
    private static CaptureOptions Valid() => new()
    {
        Cameras =
        [
            new CameraOptions
            {
                Id = "cam-1",
                Name = "一号",
                Url = "rtsp://127.0.0.1:8554/cam1",
                Windows = [new WindowOptions { Id = "w01", Name = "1号窗口", Seat = [[0.1, 0.4], [0.3, 0.4], [0.3, 0.9]] }],
            },
        ],
    };

    [Fact]
    public void Check_ValidOptions_HasNoErrors() => Assert.Empty(CaptureOptionsValidator.Check(Valid()));

    [Fact]
    public void Check_UndefinedKeyFrameDecoding_NamesTheKey()
    {
        var options = Valid();
        options.DecodeKeyFramesOnly = (KeyFrameDecoding)7;

        Assert.Contains("Capture:DecodeKeyFramesOnly '7' must be auto, always or never.", CaptureOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_MaxKeyFrameIntervalNotPositive_NamesTheKey()
    {
        var options = Valid();
        options.MaxKeyFrameInterval = TimeSpan.Zero;

        Assert.Contains("Capture:MaxKeyFrameInterval 00:00:00 must be above 0.", CaptureOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_StallTimeoutBelowTwoGops_NamesBothKeys()
    {
        var options = Valid();
        options.MaxKeyFrameInterval = TimeSpan.FromSeconds(6);

        Assert.Contains("Capture:StallTimeout 00:00:10 must be at least twice Capture:MaxKeyFrameInterval (00:00:06).", CaptureOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_NoCamera_SaysSo()
    {
        var options = Valid();
        options.Cameras.Clear();

        Assert.Contains("Capture:Cameras must list at least one camera.", CaptureOptionsValidator.Check(options));
    }

    [Theory]
    [InlineData("http://127.0.0.1/cam")]
    [InlineData("not a url")]
    [InlineData("relative/file.mp4")]
    public void Check_UnusableUrl_NamesTheKey(string url)
    {
        var options = Valid();
        options.Cameras[0].Url = url;

        Assert.Contains(CaptureOptionsValidator.Check(options), e => e.StartsWith("Capture:Cameras:0:Url", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_DuplicateCameraIds_AreRefused()
    {
        var options = Valid();
        options.Cameras.Add(new CameraOptions { Id = "cam-1", Url = "rtsp://127.0.0.1/x" });

        Assert.Contains("Capture:Cameras:1:Id 'cam-1' is used by another camera.", CaptureOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_SeatOutsideTheFrame_NamesThePoint()
    {
        var options = Valid();
        options.Cameras[0].Windows[0].Seat[1] = [1.5, 0.4];

        Assert.Contains("Capture:Cameras:0:Windows:0:Seat:1 must be [x, y] with both between 0 and 1.", CaptureOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_SeatWithTwoPoints_IsRefused()
    {
        var options = Valid();
        options.Cameras[0].Windows[0].Seat.RemoveAt(0);

        Assert.Contains("Capture:Cameras:0:Windows:0:Seat needs at least 3 points.", CaptureOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_BadFrameRate_IsRefused()
    {
        var options = Valid();
        options.AnalysisFps = 0;

        Assert.Contains(CaptureOptionsValidator.Check(options), e => e.StartsWith("Capture:AnalysisFps", StringComparison.Ordinal));
    }
}
