using System.Globalization;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>tools/rtsp-camera.py's file mount: a pre-encoded real-footage file re-sent as a camera, looped.</summary>
public sealed class FileCameraTests
{
    [Fact]
    public async Task FileMount_ServesTheFilesCodecSizeAndGop_AndKeepsGoingPastItsEnd()
    {
        await using var camera = await RtspCamera.StartFilesAsync(("main", CameraFiles.Test("b-main")));
        var file = (await RecordingRig.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", CameraFiles.Test("b-main"))).Trim();
        var fileSeconds = double.Parse(file, CultureInfo.InvariantCulture);

        var stream = (await RecordingRig.Run("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", camera.Url("main"))).Trim();
        Assert.Equal("hevc,2560,1440", stream);

        // Read past the file's end: key frames every 2 s all the way, and packets after the end.
        var packets = (await RecordingRig.Run("ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-read_intervals", $"%+{fileSeconds + 4:0}",
            "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", camera.Url("main")))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(','))
            .Where(f => f.Length >= 2 && double.TryParse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(f => (Time: double.Parse(f[0], CultureInfo.InvariantCulture), Key: f[1].StartsWith('K')))
            .ToList();
        var keys = packets.Where(p => p.Key).Select(p => p.Time).ToList();
        Assert.True(packets[^1].Time - packets[0].Time > fileSeconds + 1, $"served {packets[0].Time}..{packets[^1].Time} s of a {fileSeconds} s file");
        Assert.True(keys.Count >= 6, $"{keys.Count} key frames");
        Assert.All(keys.Zip(keys.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 1.9, 2.1));
        // 25 fps throughout, the loop included: no burst, no hole.
        Assert.All(packets.Zip(packets.Skip(1), (a, b) => b.Time - a.Time), gap => Assert.InRange(gap, 0.0, 0.2));
    }
}
