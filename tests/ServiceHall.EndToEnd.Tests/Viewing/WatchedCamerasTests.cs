using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.EndToEnd.Tests.Viewing;

/// <summary>A real Recorder and camera: snapshots come often while someone watches the camera, and fall back to the heartbeat's pace after.</summary>
public sealed class WatchedCamerasTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task SnapshotRate_RisesWhileTheSitePageIsOpen_AndFallsBackWhenTheBrowserLeaves()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        // Every frame decoded: the pattern's 2 s GOP would give key frames only every 2 s, slower than the watched snapshot pace.
        await using var recorder = await RecorderHarness.StartAsync(
            console.BaseAddress, "hall-1", key, camera.Url("cam"),
            "--Uplink:HeartbeatInterval=00:00:04", "--Live:WatchedSnapshotInterval=00:00:00.500", "--Capture:AnalysisFps=4", "--Capture:DecodeKeyFramesOnly=never", "--Recording:Enabled=false");
        using var admin = await console.SignedInClientAsync();

        // A wall screen sees every snapshot of the site but watches no camera.
        var snapshots = new ConcurrentQueue<DateTime>();
        await using var wall = console.MonitorConnection(admin);
        wall.On<SnapshotUpdated>(nameof(IMonitorClient.SnapshotUpdated), _ => snapshots.Enqueue(DateTime.UtcNow));
        await wall.StartAsync();
        await wall.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        await Eventually.True(() => !snapshots.IsEmpty, TimeSpan.FromSeconds(60), "the first snapshot");

        var before = await CountAsync(snapshots);

        var sitePage = console.MonitorConnection(admin);
        await sitePage.StartAsync();
        await sitePage.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchSite), "hall-1");
        await Eventually.True(() => recorder.Logs.Count("Watched now: all cameras True") > 0, TimeSpan.FromSeconds(20), "the Recorder told");
        var watched = await CountAsync(snapshots);

        await sitePage.DisposeAsync();
        await Eventually.True(() => recorder.Logs.Count("Watched now: all cameras False") > 0, TimeSpan.FromSeconds(20), "the Recorder told nobody watches");
        var after = await CountAsync(snapshots);

        output.WriteLine($"snapshots per {Window.TotalSeconds:0} s: unwatched {before}, watched {watched}, after the viewer left {after} (heartbeat 4 s, watched 0.5 s)");
        Assert.InRange(before, 0, 4);
        Assert.True(watched >= 8, $"only {watched} snapshots while watched");
        Assert.InRange(after, 0, 4);
    }

    private static async Task<int> CountAsync(ConcurrentQueue<DateTime> arrivals)
    {
        var from = DateTime.UtcNow;
        await Task.Delay(Window);
        var to = DateTime.UtcNow;
        return arrivals.Count(t => t >= from && t < to);
    }
}
