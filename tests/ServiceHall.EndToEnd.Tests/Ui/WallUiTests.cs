using Microsoft.Playwright;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>The supervisors' wall in real headless Chromium against a real Console, Recorder and RTSP camera.</summary>
public sealed class WallUiTests : ChromiumTest
{
    [Fact]
    public async Task Supervisor_SignsIn_ChangesPassword_AndSeesTheHallLiveInChinese()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam1", 640, 360);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-ui", "顺庆区界面测试大厅", "顺庆区");
        var page = await Browser.NewPageAsync();

        // An unsigned visitor is sent to the sign-in page.
        await page.GotoAsync(console.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.FillAsync("input[name=user]", "admin");
        await page.FillAsync("input[name=password]", ConsoleServer.AdminPassword);
        await page.ClickAsync("#login button[type=submit]");
        await page.FillAsync("input[name=newPassword]", "a-new-password-1");
        await page.ClickAsync("#change button[type=submit]");

        var tile = page.Locator("[data-site=hall-ui]");
        await Assertions.Expect(tile).ToContainTextAsync("离线");
        Assert.Equal(console.BaseAddress.ToString(), page.Url);
        Assert.Equal(console.BaseAddress.ToString(), page.Url);

        await using (var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-ui", key, camera.Url("cam1")))
        {
            await Assertions.Expect(tile.Locator(".pill-on")).ToHaveTextAsync("在线", new() { Timeout = 40_000 });
            var image = tile.Locator("[data-camera=cam-1] img");
            await Assertions.Expect(image).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => document.querySelector('[data-camera=\"cam-1\"] img')?.naturalWidth === 640", null, new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("服务大厅监管");
            await Chromium.ScreenshotAsync(page, "wall-online-zh");

            await page.ClickAsync("#lang");
            await Assertions.Expect(tile.Locator(".pill-on")).ToHaveTextAsync("Online");
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("Live");
            await Chromium.ScreenshotAsync(page, "wall-online-en");
        }

        // The Recorder stopped: the tile shows it reconnecting at once, and offline after three missed heartbeats
        // (10 s apart), without a reload.
        await Assertions.Expect(tile.Locator(".pill-on")).ToHaveTextAsync("Reconnecting", new() { Timeout = 15_000 });
        await Assertions.Expect(tile.Locator(".pill-off")).ToHaveTextAsync("Offline", new() { Timeout = 60_000 });
        await Assertions.Expect(tile).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("down"));
        await Chromium.ScreenshotAsync(page, "wall-offline-en");
    }

    [Fact]
    public async Task WrongPassword_StaysOnLoginWithAMessage()
    {
        await using var console = await ConsoleServer.StartAsync();
        var page = await Browser.NewPageAsync();

        await page.GotoAsync(new Uri(console.BaseAddress, "/login.html").ToString());
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.FillAsync("input[name=user]", "admin");
        await page.FillAsync("input[name=password]", "not-the-password");
        await page.ClickAsync("#login button[type=submit]");

        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync("用户名或密码错误");
        Assert.EndsWith("/login.html", page.Url, StringComparison.Ordinal);
    }
}
