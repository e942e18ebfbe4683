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
    public void AnalysisOutput_DecodesOnlyVideoAtTheAnalysisRateAsBgrAtThePinnedSize() =>
        Assert.Equal("-map 0:v:0 -an -sn -dn -vf fps=0.5,scale=640:360 -pix_fmt bgr24 -f rawvideo", CaptureArguments.AnalysisOutput(0.5, 640, 360));

    [Fact]
    public void RecordingOutput_CopiesTheFirstVideoStreamIntoMpegTsSegments() =>
        Assert.Equal(
            "-map 0:v:0 -c:v copy -an -sn -dn -f segment -segment_time 60 -segment_format mpegts \"/data/rec/cam-1/incoming/1_%06d.ts\"",
            CaptureArguments.RecordingOutput("/data/rec/cam-1/incoming/1_%06d.ts", TimeSpan.FromSeconds(60)));

    [Fact]
    public void Outputs_WithRecording_PutsTheSegmentsFirstAndTheFramesLastForThePipe() =>
        Assert.Equal(
            "-map 0:v:0 -c:v copy -an -sn -dn -f segment -segment_time 2.5 -segment_format mpegts \"/r/%06d.ts\" -map 0:v:0 -an -sn -dn -vf fps=1,scale=320:240 -pix_fmt bgr24 -f rawvideo",
            CaptureArguments.Outputs("/r/%06d.ts", TimeSpan.FromSeconds(2.5), 1, 320, 240));
}
