using System.Security.Cryptography;
using System.Text.Json;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>An H.265 camera (real footage re-sent by the local RTSP server): recorded by stream copy, cut as HEVC evidence with an H.264 viewing copy.</summary>
public sealed class HevcClipTests
{
    [Fact]
    public async Task HevcCamera_IsRecordedAndCutAsHvc1WithTheCamerasPackets_AndAnH264ViewingCopyBothHashed()
    {
        await using var camera = await RtspCamera.StartFilesAsync(("main", CameraFiles.Test("b-main")));
        using var rig = new RecordingRig();
        var s = await rig.RecordSegmentsAsync("cam-1", camera.Url("main"), 4, TimeSpan.FromSeconds(60));
        var recorded = await RecordingRig.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name", "-of", "csv=p=0", Path.Combine(rig.Sessions.Root, s[1].Path));
        Assert.Equal(["hevc"], recorded.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        var request = new ClipRequested(Guid.NewGuid().ToString("N"), "cam-1", s[1].Start, s[3].End, "投诉核查", "supervisor-1");

        var clip = await rig.Get<ClipExporter>().ExportAsync(request, CancellationToken.None);

        // The evidence: HEVC in MP4 tagged hvc1, plays, and every picture is one the camera sent, byte for byte.
        Assert.Equal("hevc,hvc1,2560,1440", (await RecordingRig.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,codec_tag_string,width,height", "-of", "csv=p=0", clip.ClipPath)).Trim());
        Assert.Equal("", (await RecordingRig.Run("ffmpeg", "-v", "error", "-i", clip.ClipPath, "-f", "null", "-")).Trim());
        var sent = await PacketHashes(CameraFiles.Test("b-main"));
        var cut = await PacketHashes(clip.ClipPath);
        Assert.True(cut.Count >= 100, $"{cut.Count} packets");
        Assert.Empty(cut.Except(sent));

        // The viewing copy: H.264 beside it, hashed in the manifest with the clip.
        var manifest = JsonSerializer.Deserialize<ClipExported>(await File.ReadAllTextAsync(clip.ManifestPath), WireJson.Options)!;
        Assert.Equal("hevc", manifest.Codec);
        var view = Assert.IsType<ClipViewingCopy>(manifest.ViewingCopy);
        var viewPath = rig.Get<ClipExporter>().ViewingCopyPath(view);
        Assert.Equal(("h264", 1280, 720), (view.Codec, view.Width, view.Height));
        Assert.Equal("h264,1280,720", (await RecordingRig.Run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", viewPath)).Trim());
        Assert.Equal(Sha256(clip.ClipPath), manifest.Sha256);
        Assert.Equal((Sha256(viewPath), new FileInfo(viewPath).Length), (view.Sha256, view.Bytes));

        // A request sent again reuses both while both still match; a changed viewing copy makes it cut again.
        Assert.NotNull(await rig.Get<ClipExporter>().FindExportedAsync(request.ClipId, CancellationToken.None));
        await File.AppendAllTextAsync(viewPath, "x");
        Assert.Null(await rig.Get<ClipExporter>().FindExportedAsync(request.ClipId, CancellationToken.None));
    }

    /// <summary>
    /// MD5 of each picture's slice data: parameter sets, delimiters and SEI (NAL types 32-40) are left out, since the
    /// RTSP path repeats parameter sets and MPEG-TS adds an access unit delimiter; the coded pictures are untouched.
    /// </summary>
    private static async Task<HashSet<string>> PacketHashes(string path) =>
        (await RecordingRig.Run("ffmpeg", "-v", "error", "-i", path, "-map", "0:v:0", "-c", "copy", "-bsf:v", "filter_units=remove_types=32-40", "-f", "framemd5", "-"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(',')[^1].Trim())
            .ToHashSet();

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
