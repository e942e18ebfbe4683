using System.Globalization;
using Microsoft.Playwright;
using OpenCvSharp;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Attendance by department, and the drill-down from an absence figure to its episodes and snapshots, in real headless Chromium.</summary>
public sealed class AttendanceDrillDownUiTests : ChromiumTest
{
    private static WindowConfigured Window(string id, string department) =>
        new("cam-1", id, id, [department], [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8]], 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Supervisor_ClicksAnAbsenceCount_SeesTheEpisodeTimesAndSnapshots_InADepartmentReport()
    {
        var now = DateTimeOffset.UtcNow;
        var zone = DaytimeHall.Zone(now);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var localDay = TimeZoneInfo.ConvertTime(now, tz).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var console = await ConsoleServer.StartAsync();
        await using var recorder = await DaytimeHall.AddAsync(console, "hall-drill", "高坪区缺岗测试大厅", "高坪区", zone);
        await recorder.HeartbeatAsync("高坪区缺岗测试大厅");
        await recorder.ReportWindowsAsync(Window("w01", "社保"), Window("w02", "医保"));
        byte[] jpeg;
        using (var frame = new Mat(120, 160, MatType.CV_8UC3, new Scalar(40, 40, 220)))
        {
            Cv2.ImEncode(".jpg", frame, out jpeg);
        }

        await recorder.PublishAsync(
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-9) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-9) });
        var lastSeen = now.AddMinutes(-8).AddSeconds(-21);
        await recorder.PublishWithSnapshotAsync(
            jpeg,
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-8), AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen },
            new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-6), AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen, VacatedAt = now.AddMinutes(-8) },
            new WindowRestaffed
            {
                CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-3), AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen, VacatedAt = now.AddMinutes(-8), UnstaffedAt = now.AddMinutes(-6),
            });

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("nav a[href='attendance.html']");
        await page.SelectOptionAsync("#scope", "department");
        await Assertions.Expect(page.Locator("#target option")).ToHaveCountAsync(2);
        await page.SelectOptionAsync("#target", "社保");
        await page.FillAsync("#date", localDay);
        await page.SelectOptionAsync("#period", "day");
        await page.ClickAsync("#query button[type=submit]");
        var row = page.Locator("#rows tr[data-window='hall-drill/w01']");
        await Assertions.Expect(page.Locator("#rows tr")).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td.absences")).ToHaveTextAsync("1");

        await row.Locator("td.absences button.drill").ClickAsync();
        var episode = page.Locator("#episode-rows tr.episode");
        await Assertions.Expect(episode).ToHaveCountAsync(1);
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, tz).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        // The absence's three moments, as the alert and the event list show them.
        await Assertions.Expect(episode.Locator("td.last-seen")).ToContainTextAsync(Local(lastSeen));
        await Assertions.Expect(episode.Locator("td.vacated-at")).ToContainTextAsync(Local(now.AddMinutes(-8)));
        await Assertions.Expect(episode.Locator("td.unstaffed-at")).ToContainTextAsync(Local(now.AddMinutes(-6)));
        await Assertions.Expect(episode.Locator("td.ended-at")).ToContainTextAsync(Local(now.AddMinutes(-3)));
        await Assertions.Expect(episode.Locator("td.minutes")).ToHaveTextAsync("3.0");
        await Assertions.Expect(row.Locator("td.absence-minutes")).ToHaveTextAsync("3.0");
        // The snapshots the events carried: left the seat, judged unstaffed, back.
        var thumbs = episode.Locator("img.thumb");
        await Assertions.Expect(thumbs).ToHaveCountAsync(3);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#episode-rows img.thumb')].every(i => i.naturalWidth === 160)");
        await Assertions.Expect(thumbs.First).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^离岗 "));
        await Chromium.ScreenshotAsync(page, "attendance-drill-down");
    }
}
