using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Viewing;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Viewing;

/// <summary>Watched cameras and live segments through the real hubs and endpoints of a real Console.</summary>
public sealed class ViewingHubTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>A Recorder connection that keeps every watched set it is told.</summary>
    private sealed class Recorder : IAsyncDisposable
    {
        private Recorder(HubConnection connection) => Connection = connection;

        public HubConnection Connection { get; }

        public ConcurrentQueue<CamerasWatched> Told { get; } = new();

        public CamerasWatched? Last => Told.LastOrDefault();

        public static async Task<Recorder> ConnectAsync(ConsoleServer server, string siteId, string key)
        {
            var recorder = new Recorder(server.RecorderConnection(siteId, key));
            recorder.Connection.On<CamerasWatched>(nameof(IRecorderClient.WatchCameras), recorder.Told.Enqueue);
            await recorder.Connection.StartAsync();
            return recorder;
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    [Fact]
    public async Task Viewers_AreCountedPerConnection_ToldToTheRecorder_AndExpireWhenTheBrowserDisconnects()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-v", "看", "d1");
        using var admin = await server.SignedInClientAsync();
        await using var recorder = await Recorder.ConnectAsync(server, "hall-v", key);
        await Eventually.True(() => recorder.Last is { Any: false }, Patience, "the empty set on connect");

        var sitePage = server.MonitorConnection(admin);
        await sitePage.StartAsync();
        await sitePage.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchSite), "hall-v");
        await Eventually.True(() => recorder.Last is { AllCameras: true, LiveCameraIds.Count: 0 }, Patience, "all cameras watched");

        await using var patrol = server.MonitorConnection(admin);
        await patrol.StartAsync();
        await patrol.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchCamera), "hall-v", "cam-2");
        await patrol.InvokeAsync(nameof(IMonitorHub.WatchLive), "hall-v", "cam-3");
        await Eventually.True(() => recorder.Last is { AllCameras: true } w && w.CameraIds.SequenceEqual(["cam-2"]) && w.LiveCameraIds.SequenceEqual(["cam-3"]), Patience, "one camera and one live");

        // A tab closed: its site view goes, the other connection's views stay.
        await sitePage.DisposeAsync();
        await Eventually.True(() => recorder.Last is { AllCameras: false } w && w.CameraIds.SequenceEqual(["cam-2"]), Patience, "the closed page no longer counted");

        // A Recorder that reconnects is told at once what is watched.
        await using var again = await Recorder.ConnectAsync(server, "hall-v", key);
        await Eventually.True(() => again.Told.FirstOrDefault() is { } w && w.CameraIds.SequenceEqual(["cam-2"]) && w.LiveCameraIds.SequenceEqual(["cam-3"]), Patience, "the set re-sent on connect");

        await patrol.InvokeAsync(nameof(IMonitorHub.StopLive));
        await Eventually.True(() => again.Last is { LiveCameraIds.Count: 0 }, Patience, "live ended");
        await patrol.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        await Eventually.True(() => again.Last is { Any: false }, Patience, "nobody watching");
        Assert.Contains(server.App.Services.GetRequiredService<AuditLog>().Recent(50), e => e is { Action: AuditActions.LiveViewed, Actor: "admin", Target: "camera:hall-v/cam-3" });
    }

    [Fact]
    public async Task WatchCamera_OfASiteTheUserMayNotSee_IsRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-x", "外", "other");
        using var viewer = await server.SignedInUserAsync("v1", "Viewer", "mine");
        await using var monitor = server.MonitorConnection(viewer);
        await monitor.StartAsync();

        await Assert.ThrowsAsync<HubException>(() => monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchCamera), "hall-x", "cam-1"));
        await Assert.ThrowsAsync<HubException>(() => monitor.InvokeAsync(nameof(IMonitorHub.WatchLive), "hall-x", "cam-1"));
    }

    [Fact]
    public async Task PushedSegments_AreServedAsALivePlaylist_WithADiscontinuityForANewRun_ToVisibleUsersOnly()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-l", "直", "d1");
        // Live video is accepted only for cameras the site's last heartbeat lists.
        await using var hub = await server.ReportingRecorderAsync("hall-l", key, "cam-1");
        using var recorder = server.AnonymousClient();
        recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, "hall-l");
        recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);
        foreach (var (name, body) in new[] { ("100_0.ts", "a"), ("100_1.ts", "b"), ("100_1.ts", "b"), ("200_0.ts", "c") })
        {
            using var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
            using var put = await recorder.PutAsync($"{LiveUploads.Segment("cam-1", name)}?duration=2.002", content);
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }

        using var bad = new ByteArrayContent([1]);
        Assert.Equal(HttpStatusCode.BadRequest, (await recorder.PutAsync($"{LiveUploads.Segment("cam-1", "x_1.ts")}?duration=1", bad)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await recorder.PutAsync($"{LiveUploads.Segment("cam-1", "1_1.ts")}?duration=abc", bad)).StatusCode);

        using var admin = await server.SignedInClientAsync();
        var playlist = await admin.Http.GetStringAsync("/api/sites/hall-l/cameras/cam-1/live.m3u8");
        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n" +
            "#EXTINF:2.002,\nlive/0.ts\n#EXTINF:2.002,\nlive/1.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.002,\nlive/2.ts\n",
            playlist);
        Assert.Equal("c", await admin.Http.GetStringAsync("/api/sites/hall-l/cameras/cam-1/live/2.ts"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/api/sites/hall-l/cameras/cam-2/live.m3u8")).StatusCode);

        using var outsider = await server.SignedInUserAsync("o1", "Viewer", "elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync("/api/sites/hall-l/cameras/cam-1/live.m3u8")).StatusCode);
        Assert.Equal(3, server.App.Services.GetRequiredService<LiveStreams>().Received);
    }
}
