using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Hubs;

/// <summary>The Recorder hub on real Kestrel, spoken to with the real SignalR client.</summary>
public sealed class RecorderHubTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Connect_WithWrongKey_IsRefusedAndLogged()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-a");
        await using var recorder = server.RecorderConnection("hall-a", "not-the-key");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => recorder.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(1, server.Logs.Count("Refused Recorder for site hall-a"));
    }

    [Fact]
    public async Task Connect_WithAnotherSitesKey_IsRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        var keyA = server.AddSite("hall-a");
        server.AddSite("hall-b");
        await using var recorder = server.RecorderConnection("hall-b", keyA);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => recorder.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_ReachesWatchingMonitor_AsOnlineSite()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲大厅", "顺庆区");
        using var supervisor = await server.SignedInClientAsync();
        await using var monitor = server.MonitorConnection(supervisor);
        var received = new TaskCompletionSource<SiteStatusChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.On<SiteStatusesChanged>(nameof(IMonitorClient.SiteStatusesChanged), batch =>
        {
            if (batch.Sites.FirstOrDefault(s => s.Online && s.Cameras.Count == 1) is { } s)
            {
                received.TrySetResult(s);
            }
        });
        await monitor.StartAsync();
        var initial = await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        Assert.False(Assert.Single(initial).Online);

        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        var ack = await recorder.InvokeAsync<HeartbeatAcknowledged>(
            nameof(IRecorderHub.Heartbeat),
            new HeartbeatSent("甲大厅", "0.1.0", At, 5_000_000_000, [new CameraHealthReported("cam-1", "一号", true, At, 640, 360, null)]));

        var status = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hall-a", status.SiteId);
        Assert.Equal("顺庆区", status.District);
        Assert.Equal(5_000_000_000, status.FreeDiskBytes);
        Assert.InRange(ack.ServerTime, At.AddMinutes(-1), At.AddMinutes(1));
    }

    [Fact]
    public async Task BadMessages_AreRejectedWithReason_AndTheConnectionCarriesOn()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a");
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();

        var notJpeg = await Assert.ThrowsAsync<HubException>(() => recorder.InvokeAsync(
            nameof(IRecorderHub.PublishSnapshot), new SnapshotTaken("cam-1", At, 1, 1, [1, 2, 3, 4])));
        var pathId = await Assert.ThrowsAsync<HubException>(() => recorder.InvokeAsync<HeartbeatAcknowledged>(
            nameof(IRecorderHub.Heartbeat), new HeartbeatSent("h", "v", At, 1, [new CameraHealthReported("../../etc", "c", true, At, 1, 1, null)])));

        Assert.Contains("not a JPEG", notJpeg.Message, StringComparison.Ordinal);
        Assert.Contains("not a slug", pathId.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, recorder.State);
        await recorder.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("h", "v", At, 1, []));
    }

    [Fact]
    public async Task OversizedMessage_ClosesOnlyThatConnection()
    {
        await using var server = await ConsoleServer.StartAsync();
        var keyA = server.AddSite("hall-a");
        var keyB = server.AddSite("hall-b");
        await using var hostile = server.RecorderConnection("hall-a", keyA);
        await using var neighbour = server.RecorderConnection("hall-b", keyB);
        await hostile.StartAsync();
        await neighbour.StartAsync();

        var huge = new byte[3 * 1024 * 1024];
        huge[0] = 0xFF;
        huge[1] = 0xD8;
        await Assert.ThrowsAnyAsync<Exception>(() => hostile.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), new SnapshotTaken("cam-1", At, 1, 1, huge)));

        var ack = await neighbour.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("h", "v", At, 1, []));
        Assert.NotNull(ack);
    }
}
