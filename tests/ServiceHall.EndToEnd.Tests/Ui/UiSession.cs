using System.Threading.Channels;
using Microsoft.Playwright;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
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

    public Task<HeartbeatAcknowledged> HeartbeatAsync(string siteName, long freeDiskBytes = 500L << 30, IReadOnlyList<CameraHealthReported>? cameras = null, bool singleSignal = false) =>
        _connection.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent(siteName, "sim", DateTimeOffset.UtcNow, freeDiskBytes, cameras ?? [], singleSignal));

    public Task SnapshotAsync(SnapshotTaken snapshot) => _connection.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), snapshot);

    public Task PublishAsync(params SiteEvent[] events) => PublishWithSnapshotAsync(null, events);

    /// <summary>Delivers events that each carry <paramref name="jpeg"/> as their proof picture.</summary>
    public async Task PublishWithSnapshotAsync(byte[]? jpeg, params SiteEvent[] events)
    {
        var batch = new EventBatchSent([.. events.Select(e => new EventRecorded(Guid.NewGuid(), ++_sequence, DateTimeOffset.UtcNow, e, jpeg))]);
        var ack = await _connection.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        if (ack.Rejected.Count > 0)
        {
            throw new InvalidOperationException($"the Console rejected: {string.Join("; ", ack.Rejected.Select(r => r.Reason))}");
        }
    }

    /// <summary>Reports the Recorder's windows, as a real one does on every connect.</summary>
    public Task ReportWindowsAsync(params WindowConfigured[] windows) =>
        _connection.InvokeAsync(nameof(IRecorderHub.ReportWindows), new WindowsReported(windows));

    /// <summary>The seat changes the Console sends from now on.</summary>
    public ChannelReader<SeatChangeRequested> SeatChanges()
    {
        var received = Channel.CreateUnbounded<SeatChangeRequested>();
        _connection.On<SeatChangeRequested>(nameof(IRecorderClient.ChangeSeat), r => received.Writer.TryWrite(r));
        return received.Reader;
    }

    public Task AnswerSeatAsync(SeatChangeApplied answer) => _connection.InvokeAsync(nameof(IRecorderHub.SeatChangeApplied), answer);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>Sites for UI tests whose events must fall on "today" in the hall's own zone.</summary>
public static class DaytimeHall
{
    private static readonly string[] Zones = ["Asia/Shanghai", "Europe/London", "America/New_York"];

    /// <summary>A zone where it is between 02:00 and 22:00 now, so the last minutes belong to today whenever the test runs.</summary>
    public static string Zone(DateTimeOffset now) =>
        Zones.First(z => TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(z)).Hour is >= 2 and < 22);

    /// <summary>Registers the site in that zone and connects a simulated Recorder with a fresh key.</summary>
    public static async Task<SimulatedRecorder> AddAsync(ConsoleServer console, string siteId, string name, string district, string zone)
    {
        var store = console.App.Services.GetRequiredService<ServiceHall.Console.Sites.ISiteStore>();
        store.Upsert(siteId, name, district, zone);
        return await SimulatedRecorder.ConnectAsync(console, siteId, store.IssueKey(siteId, revokeOthers: false));
    }
}
