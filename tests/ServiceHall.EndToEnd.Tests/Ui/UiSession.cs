using Microsoft.Playwright;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Signs the admin in through the real login page, forced password change included.</summary>
public static class UiSession
{
    public const string NewAdminPassword = "a-new-password-1";

    public static async Task SignInAsAdminAsync(IPage page, ConsoleServer console)
    {
        await page.GotoAsync(new Uri(console.BaseAddress, "/login.html").ToString());
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.FillAsync("input[name=user]", "admin");
        await page.FillAsync("input[name=password]", ConsoleServer.AdminPassword);
        await page.ClickAsync("#login button[type=submit]");
        await page.FillAsync("input[name=newPassword]", NewAdminPassword);
        await page.ClickAsync("#change button[type=submit]");
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("pill-on"));
    }
}

/// <summary>
/// A Recorder as the Console sees it: a real SignalR client holding the site's key that sends heartbeats and
/// event batches through the real <c>RecorderHub</c>, without cameras or ffmpeg.
/// </summary>
public sealed class SimulatedRecorder : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private long _sequence;

    private SimulatedRecorder(HubConnection connection) => _connection = connection;

    public static async Task<SimulatedRecorder> ConnectAsync(ConsoleServer console, string siteId, string key)
    {
        var connection = console.RecorderConnection(siteId, key);
        await connection.StartAsync();
        return new SimulatedRecorder(connection);
    }

    public Task<HeartbeatAcknowledged> HeartbeatAsync(string siteName, long freeDiskBytes = 500L << 30, IReadOnlyList<CameraHealthReported>? cameras = null) =>
        _connection.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent(siteName, "sim", DateTimeOffset.UtcNow, freeDiskBytes, cameras ?? []));

    public Task SnapshotAsync(SnapshotTaken snapshot) => _connection.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), snapshot);

    public async Task PublishAsync(params SiteEvent[] events)
    {
        var batch = new EventBatchSent([.. events.Select(e => new EventRecorded(Guid.NewGuid(), ++_sequence, DateTimeOffset.UtcNow, e, null))]);
        var ack = await _connection.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        if (ack.Rejected.Count > 0)
        {
            throw new InvalidOperationException($"the Console rejected: {string.Join("; ", ack.Rejected.Select(r => r.Reason))}");
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
