using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Viewing;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 7 of the security review: one hall key tries to exhaust the Console's memory and disk with snapshots and live
/// video of cameras it made up, a flood of segments and snapshots, and a clip bigger than it said; a real Console on
/// HTTPS refuses or bounds each, and the hall's own cameras still show.
/// </summary>
public sealed class RecorderLimitsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CameraNotInTheLastHeartbeat_HasItsSnapshotAndLiveVideoRefused_AndLogged_ReportedCameraIsServed()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        await using var hub = await server.ReportingRecorderAsync("hall-a", key, "cam-1");
        using var recorder = RecorderClient(server, "hall-a", key);
        using var admin = await server.SignedInClientAsync();

        var snapshot = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), Snapshot("cam-9", 100)));
        var live = await PutSegmentAsync(recorder, "cam-9", "1_0.ts", 100);
        await hub.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), Snapshot("cam-1", 100));
        var ownLive = await PutSegmentAsync(recorder, "cam-1", "1_0.ts", 100);

        Assert.Contains("cam-9 is not in the site's last heartbeat", snapshot.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, live.StatusCode);
        Assert.Contains("cam-9 is not in the site's last heartbeat", await live.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(server.Logs.Count("camera cam-9 is not in") >= 2, string.Join('\n', server.Logs.Lines));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/api/sites/hall-a/cameras/cam-9/snapshot.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ownLive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/sites/hall-a/cameras/cam-1/snapshot.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/sites/hall-a/cameras/cam-1/live.m3u8")).StatusCode);
    }

    [Fact]
    public async Task FloodOfLiveSegments_NeverHoldsMoreThanTheSiteCap_TheNewestStillPlays_AndAnOversizedSegmentIs413()
    {
        const int Cap = 1024 * 1024;
        await using var server = await ConsoleServer.StartAsync($"--Viewing:MaxLiveBytesPerSite={Cap}", "--Viewing:LiveSegments=30");
        var key = server.AddSite("hall-a", "甲", "d1");
        await using var hub = await server.ReportingRecorderAsync("hall-a", key, "cam-1", "cam-2", "cam-3");
        using var recorder = RecorderClient(server, "hall-a", key);
        using var admin = await server.SignedInClientAsync();
        var streams = server.App.Services.GetRequiredService<LiveStreams>();
        var held = new List<long>();

        for (var n = 0; n < 30; n++)
        {
            var put = await PutSegmentAsync(recorder, $"cam-{1 + (n % 3)}", $"1_{n / 3}.ts", 150_000);
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
            held.Add(streams.HeldBytes("hall-a"));
        }

        var oversized = await PutSegmentAsync(recorder, "cam-1", "1_99.ts", Cap + 1);

        Assert.All(held, bytes => Assert.InRange(bytes, 0, Cap));
        Assert.Equal(30, streams.Received);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        var playlist = await admin.Http.GetStringAsync("/api/sites/hall-a/cameras/cam-3/live.m3u8");
        Assert.Contains("live/9.ts", playlist, StringComparison.Ordinal);
        Assert.DoesNotContain("live/0.ts", playlist, StringComparison.Ordinal);
        Assert.Equal(150_000, (await admin.Http.GetByteArrayAsync("/api/sites/hall-a/cameras/cam-3/live/9.ts")).Length);
    }

    [Fact]
    public async Task FloodOfLargeSnapshots_NeverHoldsMoreThanTheSiteCap_AndTheLatestIsServed()
    {
        const int Cap = 1024 * 1024;
        await using var server = await ConsoleServer.StartAsync($"--Fleet:MaxSnapshotBytesPerSite={Cap}", "--Fleet:MaxSnapshotBytes=300000");
        var key = server.AddSite("hall-a", "甲", "d1");
        var cameras = Enumerable.Range(1, 20).Select(n => $"cam-{n}").ToArray();
        await using var hub = await server.ReportingRecorderAsync("hall-a", key, cameras);
        using var admin = await server.SignedInClientAsync();
        var snapshots = server.App.Services.GetRequiredService<SnapshotCache>();
        var held = new List<long>();

        foreach (var camera in cameras)
        {
            await hub.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), Snapshot(camera, 250_000));
            held.Add(snapshots.HeldBytes("hall-a"));
        }

        Assert.All(held, bytes => Assert.InRange(bytes, 0, Cap));
        Assert.Equal(250_000, (await admin.Http.GetByteArrayAsync("/api/sites/hall-a/cameras/cam-20/snapshot.jpg")).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/api/sites/hall-a/cameras/cam-1/snapshot.jpg")).StatusCode);
    }

    [Fact]
    public async Task ClipUpload_DeclaredAboveTheCap_OrChunksPastItsDeclaredSize_Is413_ATrueSizedClipIsKept()
    {
        const int Cap = 1024 * 1024;
        await using var world = await ClipUploadWorld.StartAsync(Cap);
        var (recorder, admin, clipId) = (world.Recorder, world.Admin, world.ClipId);
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var declaredTooBig = await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total={Cap + 1}", new ByteArrayContent(bytes[..1000]));
        var undeclared = await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0", new ByteArrayContent(new byte[Cap + 1]));
        (await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total=300000", new ByteArrayContent(bytes[..200_000]))).EnsureSuccessStatusCode();
        var pastDeclared = await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=200000&total=300000", new ByteArrayContent(new byte[100_001]));
        var redeclared = await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=200000&total={Cap}", new ByteArrayContent(new byte[100_001]));
        (await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=200000&total=300000", new ByteArrayContent(bytes[200_000..]))).EnsureSuccessStatusCode();
        var manifest = new ClipExported(clipId, "hall-a", "cam-1", At, At.AddMinutes(1), At, At.AddMinutes(1), bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), "0.1.0", At, []);
        var complete = await recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), manifest, WireJson.Options);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declaredTooBig.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, undeclared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, pastDeclared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, redeclared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal(bytes, await admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
    }

    [Fact]
    public async Task ViewingCopy_PastTheCapIs413_AMismatchRefusesTheClip_AMatchIsKeptAndPlayedFromView()
    {
        const int Cap = 1024 * 1024;
        await using var world = await ClipUploadWorld.StartAsync(Cap);
        var (recorder, admin, clipId) = (world.Recorder, world.Admin, world.ClipId);
        var (clip, view) = (RandomNumberGenerator.GetBytes(200_000), RandomNumberGenerator.GetBytes(50_000));
        (await recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total={clip.Length}", new ByteArrayContent(clip))).EnsureSuccessStatusCode();
        var copy = new ClipViewingCopy($"{clipId}.view.mp4", "h264", 1280, 720, view.Length, Convert.ToHexStringLower(SHA256.HashData(view)));
        var manifest = new ClipExported(clipId, "hall-a", "cam-1", At, At.AddMinutes(1), At, At.AddMinutes(1), clip.Length, Convert.ToHexStringLower(SHA256.HashData(clip)), "0.1.0", At, [], "hevc", copy);

        var tooBig = await recorder.PutAsync($"{ClipUploads.ViewingCopy(clipId)}?offset=0", new ByteArrayContent(new byte[Cap + 1]));
        (await recorder.PutAsync($"{ClipUploads.ViewingCopy(clipId)}?offset=0", new ByteArrayContent(view[..49_999]))).EnsureSuccessStatusCode();
        var wrongOffset = await recorder.PutAsync($"{ClipUploads.ViewingCopy(clipId)}?offset=10", new ByteArrayContent(view[..10]));
        var short1 = await recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), manifest, WireJson.Options);
        var fresh = await recorder.GetFromJsonAsync<JsonElement>(ClipUploads.ViewingCopy(clipId));
        (await recorder.PutAsync($"{ClipUploads.ViewingCopy(clipId)}?offset=0", new ByteArrayContent(view))).EnsureSuccessStatusCode();
        var complete = await recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), manifest, WireJson.Options);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, wrongOffset.StatusCode);
        // A viewing copy that does not match its manifest keeps the clip from being kept, and is discarded for a fresh upload.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, short1.StatusCode);
        Assert.Equal(0, fresh.GetProperty("received").GetInt64());
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal(clip, await admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
        Assert.Equal(view, await admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/view"));
        var late = await recorder.PutAsync($"{ClipUploads.ViewingCopy(clipId)}?offset=0", new ByteArrayContent(view));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    /// <summary>A Console with a clip cap, a Recorder's client of site hall-a, the admin, and one requested clip.</summary>
    private sealed class ClipUploadWorld(ConsoleServer server, HttpClient recorder, SignedInClient admin, string clipId) : IAsyncDisposable
    {
        public HttpClient Recorder => recorder;

        public SignedInClient Admin => admin;

        public string ClipId => clipId;

        public static async Task<ClipUploadWorld> StartAsync(int cap)
        {
            var server = await ConsoleServer.StartAsync($"--Review:MaxClipBytes={cap}");
            var key = server.AddSite("hall-a", "甲", "d1");
            var admin = await server.SignedInClientAsync();
            return new ClipUploadWorld(server, RecorderClient(server, "hall-a", key), admin, await RequestClipAsync(admin));
        }

        public async ValueTask DisposeAsync()
        {
            recorder.Dispose();
            admin.Dispose();
            await server.DisposeAsync();
        }
    }

    private static HttpClient RecorderClient(ConsoleServer server, string siteId, string key)
    {
        var client = server.AnonymousClient();
        client.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, siteId);
        client.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);
        return client;
    }

    private static async Task<HttpResponseMessage> PutSegmentAsync(HttpClient recorder, string cameraId, string name, int bytes)
    {
        using var content = new ByteArrayContent(new byte[bytes]);
        return await recorder.PutAsync($"{LiveUploads.Segment(cameraId, name)}?duration=2", content);
    }

    private static SnapshotTaken Snapshot(string cameraId, int bytes)
    {
        var jpeg = new byte[bytes];
        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        return new SnapshotTaken(cameraId, At, 320, 240, jpeg);
    }

    private static async Task<string> RequestClipAsync(SignedInClient admin)
    {
        var response = await admin.Http.PostAsJsonAsync("/api/sites/hall-a/clips", new { cameraId = "cam-1", from = At, to = At.AddMinutes(1), reason = "投诉 2026-118" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;
    }
}
