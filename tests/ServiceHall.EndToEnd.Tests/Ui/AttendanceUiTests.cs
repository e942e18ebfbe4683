using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Attendance report and CSV export in real headless Chromium, from events a Recorder delivered.</summary>
public sealed class AttendanceUiTests : ChromiumTest
{
    [Fact]
    public async Task Manager_ExportsTheDaysAttendanceAsCsv_WithOneRowPerWindowRanked()
    {
        // A zone where it is day now, so the last ten minutes fall on today's local date.
        var now = DateTimeOffset.UtcNow;
        var zone = DaytimeHall.Zone(now);
        var localDay = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var console = await ConsoleServer.StartAsync();
        await using var recorder = await DaytimeHall.AddAsync(console, "hall-att", "营山县考勤测试大厅", "营山县", zone);
        await recorder.HeartbeatAsync("营山县考勤测试大厅");
        await recorder.PublishAsync(
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-9) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-9) },
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-8) },
            new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-3), AwaySince = now.AddMinutes(-8) },
            new WindowRestaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-2), AwaySince = now.AddMinutes(-8) },
            // w02's clerk sat motionless from 8 to 4 minutes ago (睡岗): 4 inactive minutes.
            new ClerkInactive { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-7), InactiveSince = now.AddMinutes(-8) },
            new ClerkActive { CameraId = "cam-1", WindowId = "w02", OccurredAt = now.AddMinutes(-4), InactiveSince = now.AddMinutes(-8), Reason = InactivityEnd.Moved });

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("nav a[href='attendance.html']");
        await Assertions.Expect(page.Locator("#target option")).ToHaveCountAsync(1);
        await page.FillAsync("#date", localDay);
        await page.SelectOptionAsync("#period", "day");
        await page.ClickAsync("#query button[type=submit]");
        await Assertions.Expect(page.Locator("#rows tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#rows tr[data-window='hall-att/w01'] td.absences")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#rows tr").First).ToHaveAttributeAsync("data-window", "hall-att/w02");
        // Today is not closed by the Recorder yet: the row says its figures are provisional.
        await Assertions.Expect(page.Locator("#rows tr[data-window='hall-att/w01'] .provisional")).ToContainTextAsync("1 天为临时统计");
        await Assertions.Expect(page.Locator("#rows tr[data-window='hall-att/w02'] td.inactive-minutes")).ToHaveTextAsync("4.0");
        await Chromium.ScreenshotAsync(page, "attendance-day");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#csv"));
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal($"attendance-site-hall-att-day-{localDay}.csv", download.SuggestedFilename);
        Assert.Equal(3, lines.Count);
        Assert.Equal("排名,站点编号,站点,片区,窗口,在岗率%,缺岗次数,缺岗分钟,暂离分钟,未知分钟,应在岗分钟,在岗分钟,临时统计天数,睡岗静止分钟", lines[0]);
        var w02 = lines[1].Split(',');
        var w01 = lines[2].Split(',');
        Assert.Equal(["1", "hall-att", "营山县考勤测试大厅", "营山县", "w02", "100.0", "0", "0.0", "0.0"], w02[..9]);
        Assert.Equal(("4.0", "0.0"), (w02[13], w01[13]));
        Assert.Equal(["2", "hall-att", "营山县考勤测试大厅", "营山县", "w01"], w01[..5]);
        Assert.Equal(("1", "1.0", "5.0"), (w01[6], w01[7], w01[8]));
        Assert.Equal(("0.0", "1"), (w01[10], w01[12]));
        // Staffed 1 min, away 5, unstaffed 1, staffed again 2 min and counting: about a third of the known time.
        Assert.InRange(double.Parse(w01[5], CultureInfo.InvariantCulture), 30, 45);
    }
}
