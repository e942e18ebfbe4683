using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

public sealed class CaptureArgumentsTests
{
    [Fact]
    public void Input_ForRtsp_UsesTcpAndASocketTimeout() =>
        Assert.Equal("-rtsp_transport tcp -timeout 5000000", CaptureArguments.Input("rtsp://127.0.0.1:8554/cam"));

    [Fact]
    public void Input_ForFile_ReadsAtNativeRateAndLoops() =>
        Assert.Equal("-re -stream_loop -1", CaptureArguments.Input("/data/clip.mp4"));

    [Fact]
    public void AnalysisOutput_DecodesOnlyVideoAtTheAnalysisRateAsBgr() =>
        Assert.Equal("-map 0:v:0 -an -sn -dn -vf fps=0.5 -pix_fmt bgr24 -f rawvideo", CaptureArguments.AnalysisOutput(0.5));
}
