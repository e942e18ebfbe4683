using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Recording;

/// <summary>A supervisor asks the Console for a clip; the Recorder cuts it from its recording and uploads it; the Console keeps it.</summary>
public sealed class ClipReviewTests
{
    [Fact]
    public async Task ClipRequestedAtTheConsole_IsCutByTheRecorderUploadedAndVerified()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        await using var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-1", key, camera.Url("cam"), "--Recording:SegmentLength=00:00:02", "--Recording:IndexInterval=00:00:00.300", "--Recording:MinFreeDiskBytes=0");
        var index = recorder.Host.Services.GetRequiredService<SegmentIndex>();
        await Eventually.True(() => index.ForCamera("cam-1").Count >= 3, TimeSpan.FromSeconds(60), "three recorded segments");
        using var supervisor = await console.SignedInClientAsync();
        var segments = index.ForCamera("cam-1");
        var (from, to) = (segments[0].Start.AddSeconds(0.5), segments[2].End.AddSeconds(-0.5));

        var clipId = await ClipRequests.RequestAsync(supervisor.Http, "hall-1", new { cameraId = "cam-1", from, to, reason = "市民投诉核查" });
        Assert.Equal("Complete", await ClipRequests.WaitAsync(supervisor.Http, clipId, TimeSpan.FromSeconds(60)));
        var clip = await supervisor.Http.GetByteArrayAsync($"/api/clips/{clipId}/file");
        var manifest = JsonSerializer.Deserialize<ClipExported>(await supervisor.Http.GetStringAsync($"/api/clips/{clipId}/manifest.json"), WireJson.Options)!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(clip)), manifest.Sha256);
        Assert.Equal(("hall-1", "cam-1", 3), (manifest.SiteId, manifest.CameraId, manifest.Sources.Count));
        Assert.InRange(manifest.ActualFrom, from.AddSeconds(-2), from);
        Assert.Equal(manifest.Bytes, clip.Length);

        // The Recorder knows its copy was delivered, so retention deletes it after Recording:ClipKeep.
        var clips = recorder.Host.Services.GetRequiredService<ClipFolder>();
        await Eventually.True(() => File.Exists(Path.Combine(clips.Directory, clipId + ".uploaded")), TimeSpan.FromSeconds(10), "the clip marked uploaded");

        // Exporting held the source range, and that hold is in the site's list at the Console.
        JsonElement hold = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && hold.ValueKind == JsonValueKind.Undefined; await Task.Delay(100))
        {
            hold = (await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/sites/hall-1/holds")).EnumerateArray().FirstOrDefault(h => h.GetProperty("holdId").GetString() == clipId);
        }

        Assert.Equal(("Held", "cam-1", segments[0].Start), (hold.GetProperty("status").GetString(), hold.GetProperty("cameraId").GetString(), hold.GetProperty("from").GetDateTimeOffset()));
    }

    [Fact]
    public async Task ClipRequestedWhileTheRecorderIsOffline_IsCutAndUploadedWhenItReturns()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        using var data = new TempDirectory();
        string[] options = ["--Recording:SegmentLength=00:00:02", "--Recording:IndexInterval=00:00:00.300", "--Recording:MinFreeDiskBytes=0"];
        IReadOnlyList<SegmentRecord> segments;
        await using (var first = await RecorderHarness.StartOnAsync(data, console.BaseAddress, "hall-1", key, camera.Url("cam"), options))
        {
            var index = first.Host.Services.GetRequiredService<SegmentIndex>();
            await Eventually.True(() => index.ForCamera("cam-1").Count >= 3, TimeSpan.FromSeconds(60), "three recorded segments");
            segments = index.ForCamera("cam-1");
        }

        using var supervisor = await console.SignedInClientAsync();
        await Eventually.True(() => console.Logs.Count("Recorder of site hall-1 disconnected") == 1, TimeSpan.FromSeconds(30), "the Console sees the Recorder gone");
        var (from, to) = (segments[0].Start.AddSeconds(0.5), segments[1].End.AddSeconds(-0.5));
        var clipId = await ClipRequests.RequestAsync(supervisor.Http, "hall-1", new { cameraId = "cam-1", from, to, reason = "断网期间的投诉" });
        Assert.Equal("Requested", (await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}")).GetProperty("status").GetString());

        await using var second = await RecorderHarness.StartOnAsync(data, console.BaseAddress, "hall-1", key, camera.Url("cam"), options);
        Assert.Equal("Complete", await ClipRequests.WaitAsync(supervisor.Http, clipId, TimeSpan.FromSeconds(60)));
        var manifest = JsonSerializer.Deserialize<ClipExported>(await supervisor.Http.GetStringAsync($"/api/clips/{clipId}/manifest.json"), WireJson.Options)!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await supervisor.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"))), manifest.Sha256);
        Assert.Equal([segments[0].Path, segments[1].Path], manifest.Sources.Select(s => s.File));
    }
}
