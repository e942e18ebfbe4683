using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>The wall's tiles follow window states and alerts pushed by a Recorder, in real headless Chromium.</summary>
public sealed class WallStateUiTests : ChromiumTest
{
    private const string Red = "rgb(229, 83, 75)";
    private const string Green = "rgb(46, 160, 67)";

    [Fact]
    public async Task Tile_TurnsRedWhenARecorderReportsAnUnstaffedWindow_AndGreenWhenRestaffed()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-red", "顺庆区红绿测试大厅", "顺庆区");
        console.AddSite("hall-quiet", "高坪区安静大厅", "高坪区");
        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await using var recorder = await SimulatedRecorder.ConnectAsync(console, "hall-red", key);
        var start = DateTimeOffset.UtcNow;
        await recorder.HeartbeatAsync("顺庆区红绿测试大厅");
        await recorder.PublishAsync(
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddMinutes(-10) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = start.AddMinutes(-10) });

        var tile = page.Locator("[data-site=hall-red]");
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "ok");
        await Assertions.Expect(tile.Locator(".staffed")).ToHaveTextAsync("在岗 2/2");
        await Assertions.Expect(tile).ToHaveCSSAsync("border-left-color", Green);

        await recorder.PublishAsync(new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start, AwaySince = start.AddMinutes(-5) });
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "bad");
        await Assertions.Expect(tile).ToHaveCSSAsync("border-left-color", Red);
        await Assertions.Expect(tile.Locator(".staffed")).ToHaveTextAsync("在岗 1/2");
        await Assertions.Expect(tile.Locator(".alerts")).ToHaveTextAsync("告警 1");
        await Assertions.Expect(page.Locator("#summary .bad")).ToHaveTextAsync("窗口无人 1");
        await Chromium.ScreenshotAsync(page, "wall-unstaffed-red");

        // The "a window unstaffed" filter keeps the red hall and hides the quiet one and its district.
        await page.SelectOptionAsync("#state-filter", "bad");
        await Assertions.Expect(page.Locator("[data-site=hall-quiet]")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-district=高坪区]")).ToBeHiddenAsync();
        await Assertions.Expect(tile).ToBeVisibleAsync();
        await page.SelectOptionAsync("#state-filter", "");
        await page.FillAsync("#search", "高坪");
        await Assertions.Expect(tile).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-site=hall-quiet]")).ToBeVisibleAsync();
        await page.FillAsync("#search", "");

        await recorder.HeartbeatAsync("顺庆区红绿测试大厅");
        await recorder.PublishAsync(new WindowRestaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddSeconds(1), AwaySince = start.AddMinutes(-5) });
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "ok");
        await Assertions.Expect(tile).ToHaveCSSAsync("border-left-color", Green);
        await Assertions.Expect(tile.Locator(".staffed")).ToHaveTextAsync("在岗 2/2");
        await Assertions.Expect(tile.Locator(".alerts")).ToHaveTextAsync("告警 0");
        await Assertions.Expect(tile.Locator(".pill-on")).ToHaveTextAsync("在线");
        await Chromium.ScreenshotAsync(page, "wall-restaffed-green");
    }

    [Fact]
    public async Task Wall_LoadedAfterTheFact_ShowsStoredWindowStatesAndOpenAlerts()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-late", "嘉陵区晚开大厅", "嘉陵区");
        await using var recorder = await SimulatedRecorder.ConnectAsync(console, "hall-late", key);
        var start = DateTimeOffset.UtcNow;
        await recorder.HeartbeatAsync("嘉陵区晚开大厅");
        await recorder.PublishAsync(
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddMinutes(-10) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = start.AddMinutes(-10) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w03", OccurredAt = start.AddMinutes(-10) },
            new WindowUnstaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = start, AwaySince = start.AddMinutes(-6) });

        // The supervisor opens the wall only now: the state comes from the bulk reads, not from pushes.
        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        var tile = page.Locator("[data-site=hall-late]");
        await Assertions.Expect(tile).ToHaveAttributeAsync("data-state", "bad");
        await Assertions.Expect(tile.Locator(".staffed")).ToHaveTextAsync("在岗 2/3");
        await Assertions.Expect(tile.Locator(".alerts")).ToHaveTextAsync("告警 1");
        await page.ClickAsync("#lang");
        await Assertions.Expect(tile.Locator(".staffed")).ToHaveTextAsync("Staffed 2/3");
        await Assertions.Expect(page.Locator("[data-district=嘉陵区] h2")).ToHaveTextAsync(new Regex("^嘉陵区 · Online 1/1 · Unstaffed 1$"));
    }
}
