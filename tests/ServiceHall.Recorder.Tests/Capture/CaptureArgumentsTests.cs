using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

public sealed class CaptureArgumentsTests
{
    [Fact]
    public void Input_ForRtsp_UsesTcpAndASocketTimeout() =>
        Assert.Equal("-rtsp_transport tcp -timeout 5000000 -threads 1", CaptureArguments.Input("rtsp://127.0.0.1:8554/cam", keyFramesOnly: false));

    [Fact]
    public void Input_ForFile_ReadsAtNativeRateAndLoops() =>
        Assert.Equal("-re -stream_loop -1 -threads 1", CaptureArguments.Input("/data/clip.mp4", keyFramesOnly: false));

    [Fact]
    public void Input_KeyFramesOnly_SkipsNonKeyFramesInTheDecoder() =>
        Assert.Equal("-rtsp_transport tcp -timeout 5000000 -threads 1 -skip_frame nokey", CaptureArguments.Input("rtsp://127.0.0.1:8554/cam", keyFramesOnly: true));

    private static TimeSpan[] Seconds(params double[] seconds) => [.. seconds.Select(TimeSpan.FromSeconds)];

    [Fact]
    public void KeyFrameTimes_ParsesFfprobesSexagesimalTimesOfKeyPackets() =>
        Assert.Equal(
            Seconds(0, 1.0, 3601.5),
            KeyFrameProbe.KeyFrameTimes([("0:00:00.000000", "K_"), ("0:00:00.100000", "__"), ("0:00:01.000000", "K_"), ("N/A", "K_"), ("1:00:01.500000", "K_")]));

    [Fact]
    public void AnalysisOutput_KeyFramesOnly_PassesFramesAtTheirOwnTimesNeverAboveTheRate_EachWithItsStreamTime() =>
        Assert.Equal(
            @"-map 0:v:0 -an -sn -dn -vf scale=640:360,select=isnan(prev_selected_t)+gt(floor(t*1)\,floor(prev_selected_t*1)),settb=1/1000,showinfo=checksum=0 -fps_mode passthrough -pix_fmt yuv420p -flush_packets 1 -f rawvideo",
            CaptureArguments.AnalysisOutput(1, 640, 360, keyFramesOnly: true));

    [Fact]
    public void AnalysisOutput_DecodesOnlyVideoAtTheAnalysisRateAsYuv420AtThePinnedSize_EachWithItsStreamTime() =>
        Assert.Equal(
            "-map 0:v:0 -an -sn -dn -vf fps=0.5,scale=640:360,settb=1/1000,showinfo=checksum=0 -fps_mode passthrough -pix_fmt yuv420p -flush_packets 1 -f rawvideo",
            CaptureArguments.AnalysisOutput(0.5, 640, 360));

    [Fact]
    public void RecordingOutput_CopiesTheFirstVideoStreamIntoMpegTsSegmentsThroughATeeThatMayFail() =>
        Assert.Equal(
            "-map 0:v:0 -c:v copy -an -sn -dn -f tee \"[f=segment:segment_time=60:segment_format=mpegts:onfail=ignore]/data/rec/cam-1/incoming/1_%06d.ts|[f=null]-\"",
            CaptureArguments.RecordingOutput("/data/rec/cam-1/incoming/1_%06d.ts", TimeSpan.FromSeconds(60)));

    [Theory]
    [InlineData("[tee @ 0x55c07f2a5880] Slave muxer #0 failed: No space left on device, continuing with 1/2 slaves.", "No space left on device")]
    [InlineData("[tee @ 0x1] Slave muxer #0 failed: No such file or directory, continuing with 1/2 slaves.", "No such file or directory")]
    [InlineData("frame=  181 fps= 10 q=-1.0 size=N/A time=00:00:18.00", null)]
    public void RecordingFailure_IsReadFromTheTeesLine(string line, string? reason) =>
        Assert.Equal(reason, CaptureArguments.RecordingFailure(line));

    [Fact]
    public void Outputs_WithRecording_PutsTheSegmentsFirstAndTheFramesLastForThePipe() =>
        Assert.Equal(
            "-map 0:v:0 -c:v copy -an -sn -dn -f tee \"[f=segment:segment_time=2.5:segment_format=mpegts:onfail=ignore]/r/%06d.ts|[f=null]-\" -map 0:v:0 -an -sn -dn -vf fps=1,scale=320:240,settb=1/1000,showinfo=checksum=0 -fps_mode passthrough -pix_fmt yuv420p -flush_packets 1 -f rawvideo",
            CaptureArguments.Outputs("/r/%06d.ts", TimeSpan.FromSeconds(2.5), 1, 320, 240));

}
