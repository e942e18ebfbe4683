using System.Globalization;
using Microsoft.Playwright;
using OpenCvSharp;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Seat polygons on the site page in real headless Chromium: coloured by state, and moved by an admin's drag.</summary>
public sealed class SeatEditorUiTests : ChromiumTest
{
    private static readonly List<double[]> Seat = [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8], [0.1, 0.8]];

    private static WindowConfigured Window(IReadOnlyList<double[]> seat) =>
        new("cam-1", "w01", "一号窗口", ["社保"], seat, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5));

    [Fact]
    public async Task SeatPolygon_FollowsTheWindowState_AndAnAdminsDraggedVertexReachesTheRecorder()
    {
        var now = DateTimeOffset.UtcNow;
        await using var console = await ConsoleServer.StartAsync();
        await using var recorder = await DaytimeHall.AddAsync(console, "hall-seat", "蓬安县座位测试大厅", "蓬安县", DaytimeHall.Zone(now));
        var seatChanges = recorder.SeatChanges();
        await recorder.HeartbeatAsync("蓬安县座位测试大厅", cameras: [new CameraHealthReported("cam-1", "一号机", true, now, 320, 240, null)]);
        await recorder.ReportWindowsAsync(Window(Seat));
        using (var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(120)))
        {
            Cv2.ImEncode(".jpg", frame, out var jpeg);
            await recorder.SnapshotAsync(new SnapshotTaken("cam-1", now, 320, 240, jpeg));
        }

        await recorder.PublishAsync(new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-5) });

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.GotoAsync(new Uri(console.BaseAddress, "/site.html?site=hall-seat").ToString());
        var polygon = page.Locator("[data-camera=cam-1] .seat-poly[data-window=w01]");
        await Assertions.Expect(polygon).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstaffed\b"));
        await Assertions.Expect(polygon).ToHaveAttributeAsync("points", "0.1,0.2 0.4,0.2 0.4,0.8 0.1,0.8");

        // Live: the clerk leaves for too long, the seat turns red without a reload.
        await recorder.PublishAsync(new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = DateTimeOffset.UtcNow, AwaySince = now.AddMinutes(-1) });
        await Assertions.Expect(polygon).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunstaffed\b"));
        await Chromium.ScreenshotAsync(page, "seat-unstaffed");

        // The admin drags the first corner to (0.2, 0.3) of the picture and saves.
        await page.ClickAsync("[data-camera=cam-1] button.seat-edit");
        var handles = page.Locator("[data-camera=cam-1] .seat-handle");
        await Assertions.Expect(handles).ToHaveCountAsync(4);
        var box = (await page.Locator("[data-camera=cam-1] .seat-frame").BoundingBoxAsync())!;
        var first = (await handles.First.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(first.X + (first.Width / 2), first.Y + (first.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.2f), box.Y + (box.Height * 0.3f), new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
        await Chromium.ScreenshotAsync(page, "seat-editing");
        await page.ClickAsync("[data-camera=cam-1] button.seat-save");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var change = await seatChanges.ReadAsync(timeout.Token);
        Assert.Equal(("cam-1", "w01", "admin"), (change.CameraId, change.WindowId, change.RequestedBy));
        Assert.InRange(change.Seat[0][0], 0.19, 0.21);
        Assert.InRange(change.Seat[0][1], 0.29, 0.31);
        Assert.True(SeatPolygon.SameAs(Seat[1..], change.Seat.Skip(1).ToList()));
        var status = page.Locator("[data-camera=cam-1] .seat-status[data-window=w01]");
        await Assertions.Expect(status).ToHaveTextAsync("一号窗口: 已保存，等待录像机应用…");

        // The Recorder applies it and reports the seat in use: the page shows it applied, drawn where it was dropped.
        await recorder.AnswerSeatAsync(new SeatChangeApplied(change.ChangeId, "cam-1", "w01", true, null));
        await recorder.ReportWindowsAsync(Window(change.Seat));
        await Assertions.Expect(status).ToHaveTextAsync("一号窗口: 座位区域已应用");
        var x = change.Seat[0][0].ToString(CultureInfo.InvariantCulture);
        await Assertions.Expect(polygon).ToHaveAttributeAsync("points", new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(x)},"));
        await Chromium.ScreenshotAsync(page, "seat-applied");
    }
}
