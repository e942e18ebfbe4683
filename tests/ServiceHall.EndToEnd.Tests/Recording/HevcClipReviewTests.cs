using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Recording;

/// <summary>An H.265 camera end to end: its clip reaches the Console as HEVC evidence with an H.264 viewing copy, and the case package says which is which.</summary>
public sealed class HevcClipReviewTests
{
    [Fact]
    public async Task HevcClip_IsKeptAsEvidenceWithAnH264ViewingCopy_PlayedFromView_AndPackagedWithBothHashed()
    {
        await using var camera = await RtspCamera.StartFilesAsync(("main", CameraFiles.Test("b-main")));
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        await using var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-1", key, camera.Url("main"), "--Recording:SegmentLength=00:00:02", "--Recording:IndexInterval=00:00:00.300", "--Recording:MinFreeDiskBytes=0");
        var index = recorder.Host.Services.GetRequiredService<SegmentIndex>();
        await Eventually.True(() => index.ForCamera("cam-1").Count >= 3, TimeSpan.FromSeconds(60), "three recorded segments");
        using var supervisor = await console.SignedInClientAsync();
        var segments = index.ForCamera("cam-1");

        var clipId = await ClipRequests.RequestAsync(supervisor.Http, "hall-1", new { cameraId = "cam-1", from = segments[0].Start, to = segments[2].End, reason = "H.265 摄像机投诉核查" });
        Assert.Equal("Complete", await ClipRequests.WaitAsync(supervisor.Http, clipId, TimeSpan.FromSeconds(90)));
        var manifest = JsonSerializer.Deserialize<ClipExported>(await supervisor.Http.GetStringAsync($"/api/clips/{clipId}/manifest.json"), WireJson.Options)!;
        var evidence = await supervisor.Http.GetByteArrayAsync($"/api/clips/{clipId}/file");
        var viewing = await supervisor.Http.GetByteArrayAsync($"/api/clips/{clipId}/view");
        Assert.Equal(("hevc", Hash(evidence)), (manifest.Codec, manifest.Sha256));
        Assert.Equal(("h264", Hash(viewing)), (manifest.ViewingCopy?.Codec, manifest.ViewingCopy?.Sha256));
        Assert.Equal("hevc,hvc1", await CodecOf(evidence));
        Assert.Equal("h264,avc1", await CodecOf(viewing));

        // The case package carries both, hashed, with a note naming the evidence; it verifies.
        var keep = await supervisor.Http.PostAsJsonAsync($"/api/clips/{clipId}/case", new { reason = "群众投诉" });
        Assert.Equal(HttpStatusCode.Created, keep.StatusCode);
        var caseId = (await keep.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseId").GetString()!;
        var package = await supervisor.Http.GetByteArrayAsync($"/api/cases/{caseId}/package.zip");
        using (var zip = new ZipArchive(new MemoryStream(package)))
        {
            var sums = new StreamReader(zip.GetEntry("SHA256SUMS")!.Open()).ReadToEnd();
            Assert.Contains($"{Hash(evidence)}  hall-1-cam-1-{clipId}.mp4", sums, StringComparison.Ordinal);
            Assert.Contains($"{Hash(viewing)}  hall-1-cam-1-{clipId}.view.mp4", sums, StringComparison.Ordinal);
            var readme = new StreamReader(zip.GetEntry("README.txt")!.Open()).ReadToEnd();
            Assert.Contains($"Evidence: hall-1-cam-1-{clipId}.mp4", readme, StringComparison.Ordinal);
            Assert.Contains($"Viewing copy: hall-1-cam-1-{clipId}.view.mp4", readme, StringComparison.Ordinal);
        }

        var verdict = await (await supervisor.Http.PostAsync("/api/cases/verify", new ByteArrayContent(package))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(verdict.GetProperty("intact").GetBoolean(), verdict.ToString());
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<string> CodecOf(byte[] mp4)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "clip.mp4");
        await File.WriteAllBytesAsync(path, mp4);
        return (await MediaTools.RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,codec_tag_string", "-of", "csv=p=0", path)).Trim();
    }
}
