using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using OpenCvSharp;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>
/// The whole path with real parts: GStreamer RTSP camera on 127.0.0.1, real ffmpeg in a real Recorder,
/// a real Console on Kestrel, and a supervisor's SignalR monitor connection.
/// </summary>
public sealed class CameraToSupervisorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Recorder_StreamsHeartbeatAndSnapshot_ToWatchingSupervisor()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam1", 640, 360);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-e2e", "端到端大厅", "测试区");
        using var supervisor = await console.SignedInClientAsync();
        var watch = await Watch(console, supervisor);

        await using var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-e2e", key, camera.Url("cam1"));

        var online = await Eventually.Until(
            () => watch.Statuses.LastOrDefault(s => s.Online && s.Cameras.Any(c => c.Online)),
            TimeSpan.FromSeconds(40),
            "site and camera online");
        var snapshot = await Eventually.Until(() => watch.Snapshots.LastOrDefault(), TimeSpan.FromSeconds(30), "a snapshot");
        var jpeg = await supervisor.Http.GetByteArrayAsync($"/api/sites/hall-e2e/cameras/{snapshot.CameraId}/snapshot.jpg");
        using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);

        Assert.Equal("cam-1", online.Cameras.Single().CameraId);
        Assert.Equal((640, 360), (online.Cameras.Single().Width, online.Cameras.Single().Height));
        Assert.False(string.IsNullOrEmpty(online.RecorderVersion));
        Assert.Equal((640, 360), (decoded.Width, decoded.Height));
        Assert.Equal((640, 360), (snapshot.Width, snapshot.Height));
        await watch.Connection.DisposeAsync();
    }

    [Fact]
    public async Task Recorder_WithWrongKey_IsRefused_AndKeepsRetryingWithoutCrashing()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam1", 320, 240);
        await using var console = await ConsoleServer.StartAsync();
        console.AddSite("hall-e2e");

        await using var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-e2e", "wrong-key", camera.Url("cam1"));

        await Eventually.True(() => console.Logs.Count("Refused Recorder for site hall-e2e") >= 3, TimeSpan.FromSeconds(30), "three refused attempts");
        // The Console logs a refusal before the Recorder has read the answer: wait for the Recorder's side too.
        await Eventually.True(() => recorder.Logs.Count("Console refused site hall-e2e (HTTP 401)") >= 3, TimeSpan.FromSeconds(10), "the Recorder to log three refusals");
        await Eventually.True(() => recorder.Logs.Count("Camera cam-1: up") >= 1, TimeSpan.FromSeconds(30), "camera up while the Console refuses");
        using var supervisor = await console.SignedInClientAsync();
        var sites = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<List<SiteStatusChanged>>(supervisor.Http, "/api/sites", WireJson.Options);
        Assert.False(Assert.Single(sites!).Online);
    }

    [Fact]
    public async Task CameraServerStopped_ShowsCameraDownWithin15s_AndRecoversWithoutRestart()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam1", 320, 240);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-e2e");
        using var supervisor = await console.SignedInClientAsync();
        var watch = await Watch(console, supervisor);
        await using var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-e2e", key, camera.Url("cam1"));
        await Eventually.Until(() => watch.Statuses.LastOrDefault(s => s.Cameras.Any(c => c.Online)), TimeSpan.FromSeconds(40), "camera online");

        await camera.StopAsync();
        var stoppedAt = DateTime.UtcNow;
        var down = await Eventually.Until(() => watch.Statuses.LastOrDefault(s => s.Online && s.Cameras.Any(c => !c.Online)), TimeSpan.FromSeconds(20), "camera down");
        var detection = DateTime.UtcNow - stoppedAt;

        await camera.StartAsync();
        var restartedAt = DateTime.UtcNow;
        watch.Statuses.Clear();
        await Eventually.Until(() => watch.Statuses.LastOrDefault(s => s.Cameras.Any(c => c.Online)), TimeSpan.FromSeconds(30), "camera back");
        var recovery = DateTime.UtcNow - restartedAt;

        Assert.True(detection < TimeSpan.FromSeconds(15), $"camera down shown after {detection.TotalSeconds:0.0} s");
        Assert.False(string.IsNullOrEmpty(down.Cameras.Single().Error));
        output.WriteLine($"camera down shown after {detection.TotalSeconds:0.0} s; back after {recovery.TotalSeconds:0.0} s");
        await watch.Connection.DisposeAsync();
    }

    private static async Task<Watcher> Watch(ConsoleServer console, SignedInClient supervisor)
    {
        var connection = console.MonitorConnection(supervisor);
        var watcher = new Watcher(connection);
        connection.On<SiteStatusesChanged>(nameof(IMonitorClient.SiteStatusesChanged), b => b.Sites.ToList().ForEach(watcher.Statuses.Enqueue));
        connection.On<SnapshotUpdated>(nameof(IMonitorClient.SnapshotUpdated), watcher.Snapshots.Enqueue);
        await connection.StartAsync();
        await connection.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        return watcher;
    }

    private sealed record Watcher(HubConnection Connection)
    {
        public ConcurrentQueue<SiteStatusChanged> Statuses { get; } = new();

        public ConcurrentQueue<SnapshotUpdated> Snapshots { get; } = new();
    }
}
