using System.Globalization;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>Real ffmpeg recording a real RTSP camera on 127.0.0.1 into segments.</summary>
public sealed class SegmentRecordingTests
{
    private const int Fps = 10;

    [Fact]
    public async Task Recording_ThreeSegmentsInARow_AreContinuousDecodableAndCopiedFromTheSource()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 640, 360, Fps);
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var collector = rig.Collector;
        await collector.StartAsync(cts.Token);
        var run = rig.Capture("cam-1", camera.Url("cam")).RunAsync(cts.Token);

        await Eventually.True(() => rig.Index.ForCamera("cam-1").Count >= 3, TimeSpan.FromSeconds(40), "three indexed segments");
        await cts.CancelAsync();
        await run;
        await collector.StopAsync(CancellationToken.None);

        var segments = rig.Index.ForCamera("cam-1").Take(3).ToList();
        var frame = TimeSpan.FromSeconds(1.0 / Fps);
        for (var i = 1; i < segments.Count; i++)
        {
            var hole = segments[i].Start - segments[i - 1].End;
            Assert.True(hole.Duration() <= frame, $"index: {hole.TotalMilliseconds} ms between segment {i - 1} and {i}");
        }

        var probes = new List<(double Start, double Duration)>();
        foreach (var segment in segments)
        {
            var path = Path.Combine(rig.Sessions.Root, segment.Path);
            Assert.StartsWith(Path.Combine(rig.Sessions.Root, "cam-1", segment.Start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), path, StringComparison.Ordinal);
            Assert.Equal(new FileInfo(path).Length, segment.Bytes);
            var stream = await RecordingRig.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,r_frame_rate", "-of", "csv=p=0", path);
            Assert.Equal("h264,640,360,10/1", stream.Trim().Split('\n')[0]);
            var format = (await RecordingRig.Run("ffprobe", "-v", "error", "-show_entries", "format=start_time,duration", "-of", "csv=p=0", path)).Trim().Split(',');
            probes.Add((double.Parse(format[0], CultureInfo.InvariantCulture), double.Parse(format[1], CultureInfo.InvariantCulture)));
            // Decodable: every packet decodes without an error.
            var errors = await RecordingRig.Run("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-");
            Assert.Equal("", errors.Trim());
        }

        for (var i = 1; i < probes.Count; i++)
        {
            var hole = probes[i].Start - (probes[i - 1].Start + probes[i - 1].Duration);
            Assert.True(Math.Abs(hole) <= 1.0 / Fps + 1e-6, $"stream clock: {hole:0.000} s between segment {i - 1} and {i}");
        }
    }

    [Fact]
    public async Task Recording_CameraLostAndBack_StoresAndReportsTheGapWithItsCause()
    {
        var port = Loopback.FreePort();
        var camera = await RtspCamera.StartAsync(port, $"/cam=test:320x240@{Fps}");
        using var rig = new RecordingRig();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await rig.Collector.StartAsync(cts.Token);
        var run = rig.Capture("cam-1", camera.Url("cam"), fps: 2).RunAsync(cts.Token);
        await Eventually.True(() => rig.Index.ForCamera("cam-1").Count >= 1, TimeSpan.FromSeconds(30), "a first segment");

        await camera.StopAsync();
        await Eventually.True(() => rig.Sink.OfType<CameraLost>().Count >= 1, TimeSpan.FromSeconds(30), "CameraLost");
        await camera.StartAsync();
        var gap = await Eventually.Until(() => rig.Sink.OfType<RecordingGap>() is [var g, ..] ? g : null, TimeSpan.FromSeconds(40), "a RecordingGap");
        await cts.CancelAsync();
        await run;
        await rig.Collector.StopAsync(CancellationToken.None);
        await camera.DisposeAsync();

        Assert.StartsWith("camera lost", gap.Cause, StringComparison.Ordinal);
        Assert.True(gap.To > gap.From);
        var stored = Assert.Single(rig.Index.Gaps("cam-1"));
        Assert.Equal((gap.From, gap.To), (stored.From, stored.To));
        Assert.Contains(rig.Sink.Events, e => e is CameraRegained);
    }
}
