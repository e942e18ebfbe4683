using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Transport;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>
/// Two real Console nodes on one real PostgreSQL and Redis: what a Recorder connected to node 2 reports (status,
/// windows, snapshots, live video) shows on node 1 and on a node started later, and the Recorder streams live video
/// while a browser on any node watches it.
/// </summary>
public sealed class SharedLiveStateTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    // The first sign-in (on node 1) changed the admin's password in the shared store.
    private const string ChangedPassword = ConsoleServer.AdminPassword + "-changed";

    [Fact]
    public async Task RecorderOnNodeTwo_NodeOneShowsItsStatusWindowsSnapshotAndLiveVideo_AndSoDoesANodeStartedLater()
    {
        await using var stores = await SharedStores.StartAsync();
        var node1 = await stores.StartNodeAsync();
        var node2 = await stores.StartNodeAsync();
        var key = node1.AddSite("hall-a", "甲", "d1");

        await using var recorder = await node2.ReportingRecorderAsync("hall-a", key, "cam-1");
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent(
            [new EventRecorded(Guid.NewGuid(), 1, At, new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, AwaySince = At.AddMinutes(-2) }, null)]));
        await recorder.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), new SnapshotTaken("cam-1", At, 320, 240, Jpeg(5_000)));
        using var pusher = node2.AnonymousClient();
        pusher.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, "hall-a");
        pusher.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);
        using var segment = new ByteArrayContent(Enumerable.Repeat((byte)7, 40_000).ToArray());
        Assert.Equal(HttpStatusCode.NoContent, (await pusher.PutAsync($"{LiveUploads.Segment("cam-1", "1_0.ts")}?duration=2", segment)).StatusCode);

        using var admin1 = await node1.SignedInClientAsync();
        var status = await Eventually.UntilAsync(() => Site(admin1), TimeSpan.FromSeconds(10), "hall-a online with cam-1 on node 1");
        var window = await Eventually.UntilAsync(() => Window(admin1), TimeSpan.FromSeconds(10), "w01 on node 1's board");
        var snapshot = await Eventually.UntilAsync(() => Bytes(admin1, "/api/sites/hall-a/cameras/cam-1/snapshot.jpg"), TimeSpan.FromSeconds(10), "the snapshot on node 1");
        var playlist = await Eventually.UntilAsync(() => Text(admin1, "/api/sites/hall-a/cameras/cam-1/live.m3u8"), TimeSpan.FromSeconds(10), "the live playlist on node 1");
        var video = await admin1.Http.GetByteArrayAsync($"/api/sites/hall-a/cameras/cam-1/{Segments(playlist).Single()}");

        var node3 = await stores.StartNodeAsync();
        using var admin3 = await node3.SignedInClientAsync("admin", ChangedPassword);
        var later = await Eventually.UntilAsync(() => Site(admin3), TimeSpan.FromSeconds(10), "hall-a online on a node started later");
        var laterWindow = await Eventually.UntilAsync(() => Window(admin3), TimeSpan.FromSeconds(10), "w01 on the later node's board");

        Assert.Equal((true, false, "cam-1"), (status.Online, status.Reconnecting, status.Cameras.Single().CameraId));
        Assert.Equal(WindowState.Unstaffed, window.State);
        Assert.Equal(5_000, snapshot.Length);
        Assert.Equal(40_000, video.Length);
        Assert.Equal((true, false), (later.Online, later.Reconnecting));
        Assert.Equal(WindowState.Unstaffed, laterWindow.State);
    }

    [Fact]
    public async Task LiveVideo_IsStreamedWhileABrowserOnAnyNodeWatches_AndStopsWhenTheLastOneStops()
    {
        await using var stores = await SharedStores.StartAsync();
        var node1 = await stores.StartNodeAsync();
        var node2 = await stores.StartNodeAsync();
        var key = node1.AddSite("hall-a", "甲", "d1");
        await using var recorder = node2.RecorderConnection("hall-a", key);
        var told = new ConcurrentQueue<CamerasWatched>();
        recorder.On<CamerasWatched>(nameof(IRecorderClient.WatchCameras), told.Enqueue);
        await recorder.StartAsync();
        using var admin1 = await node1.SignedInClientAsync();
        using var admin2 = await node2.SignedInClientAsync("admin", ChangedPassword);
        await using var browser1 = node1.MonitorConnection(admin1);
        await using var browser2 = node2.MonitorConnection(admin2);
        await browser1.StartAsync();
        await browser2.StartAsync();

        await browser1.InvokeAsync(nameof(IMonitorHub.WatchLive), "hall-a", "cam-1");
        await Until(told, w => w.IsLive("cam-1"), "cam-1 live for node 1's browser");
        await browser2.InvokeAsync(nameof(IMonitorHub.WatchLive), "hall-a", "cam-1");
        await Task.Delay(500);
        await browser1.InvokeAsync(nameof(IMonitorHub.StopLive));
        await Task.Delay(500);
        var whileNode2Watches = told.Last();
        await browser2.InvokeAsync(nameof(IMonitorHub.StopLive));
        await Until(told, w => !w.IsLive("cam-1"), "cam-1 no longer live");

        Assert.True(whileNode2Watches.IsLive("cam-1"), "node 1's browser stopping must not stop the video node 2's browser watches");
    }

    private static async Task Until(ConcurrentQueue<CamerasWatched> told, Func<CamerasWatched, bool> wanted, string what) =>
        await Eventually.True(() => told.LastOrDefault() is { } last && wanted(last), TimeSpan.FromSeconds(10), what);

    private static byte[] Jpeg(int bytes)
    {
        var jpeg = new byte[bytes];
        (jpeg[0], jpeg[1]) = (0xFF, 0xD8);
        return jpeg;
    }

    private static IEnumerable<string> Segments(string playlist) =>
        playlist.Split('\n').Where(line => line.EndsWith(".ts", StringComparison.Ordinal));

    private static async Task<SiteStatusChanged?> Site(SignedInClient client) =>
        await client.Http.GetFromJsonAsync<SiteStatusChanged>("/api/sites/hall-a", WireJson.Options) is { Online: true, Cameras.Count: > 0 } status ? status : null;

    private static async Task<WindowStateChanged?> Window(SignedInClient client) =>
        (await client.Http.GetFromJsonAsync<List<WindowStateChanged>>("/api/sites/hall-a/windows", WireJson.Options))?.SingleOrDefault();

    private static async Task<byte[]?> Bytes(SignedInClient client, string path) =>
        await client.Http.GetAsync(path) is { StatusCode: HttpStatusCode.OK } response ? await response.Content.ReadAsByteArrayAsync() : null;

    private static async Task<string?> Text(SignedInClient client, string path) =>
        await Bytes(client, path) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
}
