using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.Console.Tests.Monitor;

/// <summary>From a Recorder's event to a supervisor's screen, on real Kestrel with real SignalR clients.</summary>
public sealed class MonitorLiveTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;
    private static long _sequence;

    private static EventBatchSent Batch(params SiteEvent[] events) =>
        new([.. events.Select(e => new EventRecorded(Guid.NewGuid(), Interlocked.Increment(ref _sequence), At, e, null))]);

    private static WindowUnstaffed Unstaffed(string window = "w01") =>
        new() { CameraId = "cam-1", WindowId = window, OccurredAt = At, AwaySince = At.AddMinutes(-5) };

    /// <summary>What a monitor connection received, by message.</summary>
    private sealed class Screen
    {
        public ConcurrentQueue<WindowStateChanged> Windows { get; } = new();
        public ConcurrentQueue<AlertView> Raised { get; } = new();
        public ConcurrentQueue<AlertView> Changed { get; } = new();
        public ConcurrentQueue<SiteStatusChanged> Sites { get; } = new();

        public static async Task<(HubConnection Connection, Screen Screen)> OpenAsync(ConsoleServer server, SignedInClient user)
        {
            var screen = new Screen();
            var connection = server.MonitorConnection(user);
            connection.On<WindowStatesChanged>(nameof(IMonitorClient.WindowStatesChanged), b => b.Windows.ToList().ForEach(screen.Windows.Enqueue));
            connection.On<AlertRaised>(nameof(IMonitorClient.AlertRaised), a => screen.Raised.Enqueue(a.Alert));
            connection.On<AlertChanged>(nameof(IMonitorClient.AlertChanged), a => screen.Changed.Enqueue(a.Alert));
            connection.On<SiteStatusesChanged>(nameof(IMonitorClient.SiteStatusesChanged), b => b.Sites.ToList().ForEach(screen.Sites.Enqueue));
            await connection.StartAsync();
            return (connection, screen);
        }
    }

    [Fact]
    public async Task UnstaffedEvent_ReachesTheWatchingSupervisor_AsWindowStateAndAlert()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        using var admin = await server.SignedInClientAsync();
        var (monitor, screen) = await Screen.OpenAsync(server, admin);
        await using var _ = monitor;
        await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(new WindowStaffed { CameraId = "cam-1", WindowId = "w09", OccurredAt = At }));
        await Eventually.True(() => !screen.Windows.IsEmpty, TimeSpan.FromSeconds(10), "the warm-up window state");

        var clock = Stopwatch.StartNew();
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(Unstaffed()));
        var alert = await Eventually.Until(() => screen.Raised.FirstOrDefault(), TimeSpan.FromSeconds(10), "AlertRaised");
        var latency = clock.Elapsed;
        output.WriteLine($"unstaffed event sent -> AlertRaised on the supervisor's connection: {latency.TotalMilliseconds:0} ms");

        // Window changes travel in the next batch (Fleet:PushInterval), alerts at once.
        var window = await Eventually.Until(() => screen.Windows.FirstOrDefault(w => w.WindowId == "w01"), TimeSpan.FromSeconds(10), "the w01 window state");
        Assert.Single(screen.Windows, w => w.WindowId == "w01");
        Assert.Equal((WindowState.Unstaffed, "d1", At.AddMinutes(-5)), (window.State, window.District, window.Since));
        Assert.Equal((AlertTypes.WindowUnstaffed, "hall-a", "w01", AlertStates.Open), (alert.Type, alert.SiteId, alert.Subject, alert.State));
    }

    [Fact]
    public async Task Supervisor_SeesOnlyTheSitesOfTheirDistricts()
    {
        await using var server = await ConsoleServer.StartAsync();
        var keyA = server.AddSite("hall-a", "甲", "d1");
        var keyB = server.AddSite("hall-b", "乙", "d2");
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");
        var (monitor, screen) = await Screen.OpenAsync(server, supervisor);
        await using var _ = monitor;

        var initial = await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        var refused = await Assert.ThrowsAsync<HubException>(() => monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchSite), "hall-b"));
        await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        await using var recorderB = server.RecorderConnection("hall-b", keyB);
        await recorderB.StartAsync();
        await recorderB.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(Unstaffed()));
        await using var recorderA = server.RecorderConnection("hall-a", keyA);
        await recorderA.StartAsync();
        await recorderA.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(Unstaffed()));
        await Eventually.True(() => !screen.Raised.IsEmpty && !screen.Windows.IsEmpty, TimeSpan.FromSeconds(10), "hall-a's alert and window state");

        Assert.Equal("hall-a", Assert.Single(initial).SiteId);
        Assert.Contains("not visible", refused.Message, StringComparison.Ordinal);
        Assert.All(screen.Raised, a => Assert.Equal("hall-a", a.SiteId));
        Assert.All(screen.Windows, w => Assert.Equal("hall-a", w.SiteId));
        Assert.DoesNotContain(screen.Sites, s => s.SiteId == "hall-b");
        var alerts = await supervisor.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts", WireJson.Options);
        Assert.Equal("hall-a", Assert.Single(alerts!).SiteId);
    }

    [Fact]
    public async Task Acknowledge_ThroughTheApi_IsAuditedAndPushed_ThenRestaffedResolvesIt()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");
        using var viewer = await server.SignedInUserAsync("zhao", Roles.Viewer, "d1");
        var (monitor, screen) = await Screen.OpenAsync(server, supervisor);
        await using var _ = monitor;
        await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchDistrict), "d1");
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(Unstaffed()));
        var alert = await Eventually.Until(() => screen.Raised.FirstOrDefault(), TimeSpan.FromSeconds(10), "AlertRaised");

        var byViewer = await viewer.Http.PostAsJsonAsync($"/api/alerts/{alert.AlertId}/acknowledge", new { note = "x" });
        var bySupervisor = await supervisor.Http.PostAsJsonAsync($"/api/alerts/{alert.AlertId}/acknowledge", new { note = "已电话联系" });
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(new WindowRestaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At.AddMinutes(1), AwaySince = At.AddMinutes(-5) }));
        await Eventually.True(() => screen.Changed.Any(a => a.State == AlertStates.Resolved), TimeSpan.FromSeconds(10), "the alert to resolve");

        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bySupervisor.StatusCode);
        Assert.Equal([AlertStates.Acknowledged, AlertStates.Resolved], screen.Changed.Select(a => a.State));
        Assert.Equal(("wang", "已电话联系"), (screen.Changed.First().AcknowledgedBy, screen.Changed.First().Note));
        var audit = server.App.Services.GetRequiredService<AuditLog>().Recent(50);
        Assert.Contains(audit, e => e.Action == AuditActions.AlertAcknowledged && e.Actor == "wang" && e.Target == $"alert:{alert.AlertId}");
        Assert.Contains(audit, e => e.Action == AuditActions.SignedIn && e.Actor == "zhao");
    }

    [Fact]
    public async Task Heartbeats_WithSkewedClockAndLowDisk_RaiseAlerts_AndADroppedRecorderRaisesOffline()
    {
        await using var server = await ConsoleServer.StartAsync("--Fleet:HeartbeatInterval=00:00:01");
        var key = server.AddSite("hall-a", "甲", "d1");
        using var admin = await server.SignedInClientAsync();
        var (monitor, screen) = await Screen.OpenAsync(server, admin);
        await using var _ = monitor;
        await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchSite), "hall-a");
        var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();

        await recorder.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("甲", "1", DateTimeOffset.UtcNow.AddMinutes(5), 100_000_000, []));
        await Eventually.True(() => screen.Raised.Count >= 2, TimeSpan.FromSeconds(10), "clock and disk alerts");
        await recorder.DisposeAsync();
        var offline = await Eventually.Until(() => screen.Raised.FirstOrDefault(a => a.Type == AlertTypes.RecorderOffline), TimeSpan.FromSeconds(10), "RecorderOffline");

        Assert.Contains(screen.Raised, a => a.Type == AlertTypes.ClockSkew && a.Message.StartsWith("Recorder clock is +", StringComparison.Ordinal));
        Assert.Contains(screen.Raised, a => a.Type == AlertTypes.DiskLow);
        Assert.Contains(screen.Sites, s => s.ClockSkewSeconds is > 290 and < 310);
        Assert.Equal("hall-a", offline.SiteId);
    }
}
