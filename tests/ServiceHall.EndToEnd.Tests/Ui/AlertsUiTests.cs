using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Audit;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>The alert feed in real headless Chromium: live rows, filters, the mutable sound, acknowledge with a note, history.</summary>
public sealed class AlertsUiTests : ChromiumTest
{
    [Fact]
    public async Task Supervisor_AcknowledgesAnAlertWithANote_AndTheConsoleStoresAndAuditsIt()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-alarm", "顺庆区告警测试大厅", "顺庆区");
        var diskKey = console.AddSite("hall-disk", "高坪区磁盘大厅", "高坪区");
        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("nav a[href='alerts.html']");
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("pill-on"));

        var start = DateTimeOffset.UtcNow;
        await using var recorder = await SimulatedRecorder.ConnectAsync(console, "hall-alarm", key);
        await recorder.HeartbeatAsync("顺庆区告警测试大厅");
        await recorder.PublishWithSnapshotAsync([0xFF, 0xD8, 0xFF, 0xD9], new WindowUnstaffed
        {
            CameraId = "cam-1", WindowId = "w03", OccurredAt = start, AwaySince = start.AddMinutes(-5), LastSeenAt = start.AddMinutes(-5).AddSeconds(-1), VacatedAt = start.AddMinutes(-4),
        });
        await using var diskRecorder = await SimulatedRecorder.ConnectAsync(console, "hall-disk", diskKey);
        await diskRecorder.HeartbeatAsync("高坪区磁盘大厅", freeDiskBytes: 100_000_000);

        // Both arrive live, with a beep each; the type filter keeps only the unstaffed window.
        var unstaffed = page.Locator("tr[data-type=WindowUnstaffed]");
        await Assertions.Expect(unstaffed).ToContainTextAsync("顺庆区告警测试大厅");
        await Assertions.Expect(unstaffed.Locator("td.state")).ToHaveTextAsync("待处理");
        // The absence's three moments in the hall's zone, as the site page and the event list show them.
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(unstaffed.Locator("td.message")).ToContainTextAsync($"最后在座 ");
        await Assertions.Expect(unstaffed.Locator("td.message")).ToContainTextAsync(Local(start.AddMinutes(-5).AddSeconds(-1)));
        await Assertions.Expect(unstaffed.Locator("td.message")).ToContainTextAsync(Local(start.AddMinutes(-4)));
        await Assertions.Expect(unstaffed.Locator("td.message")).ToContainTextAsync(Local(start));
        // The snapshot the event carried is the proof, one click away.
        await Assertions.Expect(unstaffed.Locator("td.message a.snapshot-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/api/events/hall-alarm/1/snapshot.jpg$"));
        await Assertions.Expect(page.Locator("tr[data-type=DiskLow]")).ToContainTextAsync("高坪区磁盘大厅");
        Assert.True(await page.EvaluateAsync<int>("() => window.alertSound.beeps") >= 2);
        await page.SelectOptionAsync("#type-filter", "WindowUnstaffed");
        await Assertions.Expect(page.Locator("tr[data-type=DiskLow]")).ToHaveCountAsync(0);
        await Assertions.Expect(unstaffed).ToHaveCountAsync(1);

        // Muted: a new alert is shown without a beep.
        await page.ClickAsync("#mute");
        await Assertions.Expect(page.Locator("#mute")).ToHaveTextAsync("声音：关");
        var beeps = await page.EvaluateAsync<int>("() => window.alertSound.beeps");
        await recorder.PublishAsync(new WindowUnstaffed { CameraId = "cam-1", WindowId = "w04", OccurredAt = start, AwaySince = start.AddMinutes(-5) });
        await Assertions.Expect(unstaffed).ToHaveCountAsync(2);
        Assert.Equal(beeps, await page.EvaluateAsync<int>("() => window.alertSound.beeps"));

        // Acknowledge w03: an empty note is refused in the page, a real one is stored.
        var row = unstaffed.Filter(new() { HasText = "w03" });
        var alertId = await row.GetAttributeAsync("data-alert");
        await row.Locator("button.ack").ClickAsync();
        await page.ClickAsync("#ack-form button[type=submit]");
        await Assertions.Expect(page.Locator("#ack-error")).ToHaveTextAsync("请填写处理说明");
        await page.FillAsync("#ack-note", "已电话联系窗口负责人");
        await page.ClickAsync("#ack-form button[type=submit]");
        await Assertions.Expect(row.Locator("td.state")).ToHaveTextAsync("已确认");
        await Assertions.Expect(row.Locator("td.handling")).ToContainTextAsync("已电话联系窗口负责人");
        await Chromium.ScreenshotAsync(page, "alerts-acknowledged");

        var stored = console.App.Services.GetRequiredService<AlertEngine>().Find(alertId!);
        Assert.Equal((AlertStates.Acknowledged, "admin", "已电话联系窗口负责人"), (stored!.State, stored.AcknowledgedBy, stored.Note));
        var audit = console.App.Services.GetRequiredService<AuditLog>().Recent(50);
        Assert.Contains(audit, e => e.Action == AuditActions.AlertAcknowledged && e.Actor == "admin" && e.Target == $"alert:{alertId}");

        // The clerk is back: the alert resolves by itself and moves to the history.
        await recorder.PublishAsync(new WindowRestaffed { CameraId = "cam-1", WindowId = "w03", OccurredAt = start.AddSeconds(1), AwaySince = start.AddMinutes(-5) });
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#state-filter", "Resolved");
        await Assertions.Expect(page.Locator($"tr[data-alert='{alertId}'] td.state")).ToHaveTextAsync("已解除");
        await page.ClickAsync("#lang");
        await Assertions.Expect(page.Locator($"tr[data-alert='{alertId}'] td.state")).ToHaveTextAsync("Resolved");
        await Chromium.ScreenshotAsync(page, "alerts-history-en");
    }

    [Fact]
    public async Task ClerkInactiveAlert_ShowsItsTypeAndSnapshotLink_AndIsResolvedWhenTheClerkMoves()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-sleep", "顺庆区睡岗测试大厅", "顺庆区");
        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("nav a[href='alerts.html']");
        await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("pill-on"));

        var start = DateTimeOffset.UtcNow;
        await using var recorder = await SimulatedRecorder.ConnectAsync(console, "hall-sleep", key);
        await recorder.HeartbeatAsync("顺庆区睡岗测试大厅");
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0xFF, 0xD9];
        await recorder.PublishWithSnapshotAsync(jpeg, new ClerkInactive { CameraId = "cam-1", WindowId = "w05", OccurredAt = start, InactiveSince = start.AddMinutes(-10) });

        var row = page.Locator("tr[data-type=ClerkInactive]");
        await Assertions.Expect(row).ToContainTextAsync("睡岗/静止");
        var link = row.Locator("td.message a.snapshot-link");
        await Assertions.Expect(link).ToHaveTextAsync("抓拍");
        // The link serves the event's snapshot, fetched as the signed-in page would.
        var fetched = await page.EvaluateAsync<int[]>(
            "async (u) => { const r = await fetch(u); return [r.status, (await r.arrayBuffer()).byteLength]; }", await link.GetAttributeAsync("href"));
        Assert.Equal([200, jpeg.Length], fetched);

        await recorder.PublishAsync(new ClerkActive { CameraId = "cam-1", WindowId = "w05", OccurredAt = start.AddMinutes(1), InactiveSince = start.AddMinutes(-10), Reason = InactivityEnd.Moved });
        // Resolved: gone from the unresolved view the feed opens with.
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }
}
