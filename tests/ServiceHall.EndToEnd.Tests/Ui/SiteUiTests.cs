using Microsoft.Playwright;
using OpenCvSharp;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>One hall's page in real headless Chromium: snapshot, windows with time in state, today's timeline.</summary>
public sealed class SiteUiTests : ChromiumTest
{
    [Fact]
    public async Task SitePage_ShowsSnapshotWindowsAndTodaysTimeline_InTheHallsTimeZone_AndFollowsPushes()
    {
        // A zone where it is day now, so "today" holds the last ten minutes whatever time the test runs.
        var now = DateTimeOffset.UtcNow;
        var zone = DaytimeHall.Zone(now);
        await using var console = await ConsoleServer.StartAsync();
        await using var recorder = await DaytimeHall.AddAsync(console, "hall-page", "西充县站点页测试大厅", "西充县", zone);
        await recorder.HeartbeatAsync("西充县站点页测试大厅", cameras: [new CameraHealthReported("cam-1", "一号机", true, now, 320, 240, null)]);
        using (var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(120)))
        {
            Cv2.ImEncode(".jpg", frame, out var jpeg);
            await recorder.SnapshotAsync(new SnapshotTaken("cam-1", now, 320, 240, jpeg));
        }

        var lastSeen = now.AddMinutes(-6).AddSeconds(-21);
        await recorder.PublishAsync(
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-9) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-9) },
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-8) },
            new WindowRestaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-7), AwaySince = now.AddMinutes(-8) },
            new WindowVacated { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-6), AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen },
            new WindowUnstaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-1), AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen, VacatedAt = now.AddMinutes(-6) });

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("[data-site=hall-page] h3 a");
        await Assertions.Expect(page.Locator("#site-name")).ToHaveTextAsync("西充县站点页测试大厅");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-camera=\"cam-1\"] img')?.naturalWidth === 320");

        var w02 = page.Locator("#windows tr[data-window=w02]");
        await Assertions.Expect(w02.Locator("td.state")).ToHaveTextAsync("无人");
        await Assertions.Expect(w02.Locator("td.in-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[56] 分钟$"));
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        // Away since the clerk was last seen, with the absence's three moments.
        await Assertions.Expect(w02.Locator("td.time")).ToContainTextAsync(Local(lastSeen));
        await Assertions.Expect(w02.Locator("td.absence")).ToContainTextAsync($"最后在座 ");
        await Assertions.Expect(w02.Locator("td.absence")).ToContainTextAsync(Local(lastSeen));
        await Assertions.Expect(w02.Locator("td.absence")).ToContainTextAsync($"确认离岗 ");
        await Assertions.Expect(w02.Locator("td.absence")).ToContainTextAsync(Local(now.AddMinutes(-6)));
        await Assertions.Expect(w02.Locator("td.absence")).ToContainTextAsync(Local(now.AddMinutes(-1)));
        await Assertions.Expect(page.Locator("#windows tr[data-window=w01] td.state")).ToHaveTextAsync("在岗");
        await Assertions.Expect(page.Locator("#timeline [data-window=w01] .bar.staffed")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#timeline [data-window=w01] .bar.away")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline [data-window=w02] .bar.unstaffed")).ToHaveCountAsync(1);

        // Pushed live: w02's clerk is back.
        await recorder.PublishAsync(new WindowRestaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = DateTimeOffset.UtcNow, AwaySince = now.AddMinutes(-6) });
        await Assertions.Expect(w02.Locator("td.state")).ToHaveTextAsync("在岗");
        await Assertions.Expect(page.Locator("#timeline [data-window=w02] .bar.staffed")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".analysis-behind")).ToHaveCountAsync(0);

        // The box falls behind analysing this camera: the next heartbeat says so, and the camera says it in amber.
        await recorder.HeartbeatAsync("西充县站点页测试大厅", cameras: [new CameraHealthReported("cam-1", "一号机", true, DateTimeOffset.UtcNow, 320, 240, null, 42)]);
        await Assertions.Expect(page.Locator("figure.camera.behind[data-camera=cam-1] .analysis-behind")).ToContainTextAsync("近一分钟跳过 42 帧");
        await Assertions.Expect(page.Locator("#windows .single-signal")).ToHaveCountAsync(0);

        // A Recorder started without the face and pose models says so: every window is marked single-signal.
        await recorder.HeartbeatAsync("西充县站点页测试大厅", cameras: [new CameraHealthReported("cam-1", "一号机", true, DateTimeOffset.UtcNow, 320, 240, null)], singleSignal: true);
        await Assertions.Expect(page.Locator("#windows tr[data-window=w01] .single-signal")).ToHaveTextAsync("单信号");
        await Assertions.Expect(page.Locator("#windows tr[data-window=w02] .single-signal")).ToHaveTextAsync("单信号");
        await Chromium.ScreenshotAsync(page, "site-page");
    }
}
