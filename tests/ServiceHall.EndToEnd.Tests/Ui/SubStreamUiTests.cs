using Microsoft.Playwright;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>
/// A real Recorder pulls a camera whose sub stream has another shape (4:3 for a 16:9 main) from the real RTSP server:
/// the site page in Chromium shows both streams, the sub stream refused, and the analysis on the main stream meanwhile.
/// </summary>
public sealed class SubStreamUiTests : ChromiumTest
{
    [Fact]
    public async Task SitePage_ShowsBothStreams_AndASubStreamOfAnotherShapeRefused_WithTheAnalysisOnTheMainStream()
    {
        await using var camera = await RtspCamera.StartAsync(Loopback.FreePort(), "/main=test:640x360@10,gop=10", "/sub=test:320x240@10,gop=10");
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        await using var recorder = await RecorderHarness.StartAsync(
            console.BaseAddress, "hall-1", key, camera.Url("main"), $"--Capture:Cameras:0:AnalysisUrl={camera.Url("sub")}", "--Recording:Enabled=false");

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.GotoAsync(new Uri(console.BaseAddress, "/site.html?site=hall-1").ToString());
        var figure = page.Locator("#cameras figure[data-camera='cam-1']");
        await Assertions.Expect(figure.Locator(".stream-sub.refused")).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(figure.Locator(".stream-main.up")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // The snapshot comes from the analysis frames: the main stream's, at its size.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-camera=\"cam-1\"] img')?.naturalWidth === 640", null, new() { Timeout = 60_000 });
        await Chromium.ScreenshotAsync(page, "sub-stream-refused");

        var main = await figure.Locator(".stream-main").TextContentAsync();
        var sub = await figure.Locator(".stream-sub").TextContentAsync();
        Assert.Equal("主码流 · 正常 · H264 · 640×360 · GOP 1.0 秒", main);
        Assert.Equal("子码流 · 已拒用 · H264 · 320×240 · GOP 1.0 秒", sub);
        Assert.Contains("another shape than the main stream 640x360", await figure.Locator(".stream-sub").GetAttributeAsync("title"), StringComparison.Ordinal);
        Assert.Equal("子码流不可用，分析暂用主码流关键帧", await figure.Locator(".sub-fallback").TextContentAsync());
        Assert.True(recorder.Logs.Count("sub stream refused") >= 1);
    }
}
