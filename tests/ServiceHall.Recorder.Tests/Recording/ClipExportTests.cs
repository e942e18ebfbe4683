using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>A clip cut by real ffmpeg from segments recorded from a real RTSP camera.</summary>
public sealed class ClipExportTests
{
    private const int Fps = 10;
    private static readonly TimeSpan Gop = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Export_SpanningThreeSegments_PlaysMatchesTheRequestWithinAGopAndItsHashMatchesTheManifest()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, Fps);
        using var rig = new RecordingRig();
        var s = await rig.RecordSegmentsAsync("cam-1", camera.Url("cam"), 4, TimeSpan.FromSeconds(40));
        // From inside the 2nd segment to inside the 4th: three segments, a start between key frames.
        var from = s[1].Start + TimeSpan.FromSeconds(0.5);
        var to = s[3].Start + TimeSpan.FromSeconds(0.7);
        var request = new ClipRequested(Guid.NewGuid().ToString("N"), "cam-1", from, to, "投诉核查", "supervisor-1");

        var clip = await rig.Get<ClipExporter>().ExportAsync(request, CancellationToken.None);

        var manifest = JsonSerializer.Deserialize<ClipExported>(await File.ReadAllTextAsync(clip.ManifestPath), WireJson.Options)!;
        Assert.Equal(clip.Manifest, manifest with { Sources = clip.Manifest.Sources });
        Assert.Equal(3, manifest.Sources.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(clip.ClipPath))), manifest.Sha256);
        foreach (var source in manifest.Sources)
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(rig.Sessions.Root, source.File)))), source.Sha256);
        }

        Assert.Equal("", (await RecordingRig.Run("ffmpeg", "-v", "error", "-i", clip.ClipPath, "-f", "null", "-")).Trim());
        var duration = double.Parse((await RecordingRig.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip.ClipPath)).Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(duration, (to - from).TotalSeconds - Gop.TotalSeconds, (to - from).TotalSeconds + Gop.TotalSeconds);
        Assert.InRange(manifest.ActualFrom, from - Gop, from);
        Assert.Equal(manifest.ActualFrom + TimeSpan.FromSeconds(duration), manifest.ActualTo, TimeSpan.FromMilliseconds(150));
        Assert.Equal("cam-1", manifest.CameraId);
        Assert.Equal("hall-1", manifest.SiteId);

        // Exporting puts the source range on hold: retention can never take these segments.
        var hold = Assert.Single(rig.Index.Holds());
        Assert.All(rig.Index.Covering("cam-1", from, to), seg => Assert.True(hold.Covers(seg)));

        // The same request sent again (its upload was cut off) reuses this cut while it still matches its hash.
        var again = await rig.Get<ClipExporter>().FindExportedAsync(request.ClipId, CancellationToken.None);
        Assert.Equal((clip.ClipPath, clip.Manifest.Sha256), (again?.ClipPath, again?.Manifest.Sha256));
        await File.AppendAllTextAsync(clip.ClipPath, "x");
        Assert.Null(await rig.Get<ClipExporter>().FindExportedAsync(request.ClipId, CancellationToken.None));
    }

    [Fact]
    public async Task Export_NoRecordingInRange_FailsWithAClearReason()
    {
        using var rig = new RecordingRig();
        var at = new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<ClipException>(() => rig.Get<ClipExporter>().ExportAsync(
            new ClipRequested(Guid.NewGuid().ToString("N"), "cam-1", at, at.AddMinutes(1), "r", "u"), CancellationToken.None));

        Assert.Contains("no recording of camera 'cam-1'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF")]
    public async Task Export_BadClipId_IsRefusedBeforeTouchingTheDisk(string clipId)
    {
        using var rig = new RecordingRig();
        var at = new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

        await Assert.ThrowsAsync<ClipException>(() => rig.Get<ClipExporter>().ExportAsync(new ClipRequested(clipId, "cam-1", at, at.AddMinutes(1), "r", "u"), CancellationToken.None));
        Assert.Null(await rig.Get<ClipExporter>().FindExportedAsync(clipId, CancellationToken.None));
    }
}
