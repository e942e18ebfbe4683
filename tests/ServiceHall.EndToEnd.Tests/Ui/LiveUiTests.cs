using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Viewing;
using ServiceHall.Recorder.Live;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Live video in Chromium from a real Recorder and RTSP camera: it plays, and the push stops after the last viewer leaves.</summary>
public sealed class LiveUiTests(ITestOutputHelper output) : ChromiumTest
{
    [Fact]
    public async Task LiveVideo_PlaysFromTheSitePage_AndThePushStopsAfterTheLastViewerLeaves()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        await using var recorder = await RecorderHarness.StartAsync(
            console.BaseAddress, "hall-1", key, camera.Url("cam"), "--Live:Linger=00:00:02", "--Recording:Enabled=false");
        var pushed = recorder.Host.Services.GetRequiredService<LivePublisher>();
        var received = console.App.Services.GetRequiredService<LiveStreams>();

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.GotoAsync(new Uri(console.BaseAddress, "/site.html?site=hall-1").ToString());
        await Assertions.Expect(page.Locator("#cameras figure[data-camera='cam-1'] img")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.Equal(0, pushed.SegmentsPushed);

        await page.ClickAsync("#cameras figure[data-camera='cam-1'] a.live-link");
        await page.WaitForFunctionAsync("() => document.getElementById('live-player').currentTime > 2", null, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "playing");
        var startedMs = await page.Locator("#live-status").GetAttributeAsync("data-started-ms");
        var latency = await page.EvaluateAsync<double>("() => window.liveHls.latency");
        output.WriteLine($"live: first picture {startedMs} ms after opening the page; player {latency:0.0} s behind the newest segment (segments of the camera's 2 s GOP)");
        await Chromium.ScreenshotAsync(page, "live-playing");
        Assert.Contains(console.App.Services.GetRequiredService<AuditLog>().Recent(20), e => e is { Action: AuditActions.LiveViewed, Target: "camera:hall-1/cam-1" });

        // The last viewer leaves: within the linger the Recorder stops, and no segment arrives after that.
        await page.CloseAsync();
        await Eventually.True(() => recorder.Logs.Count("live video stopped") > 0, TimeSpan.FromSeconds(30), "the push to stop");
        var stoppedAt = received.Received;
        Assert.True(stoppedAt >= 2, $"only {stoppedAt} segments arrived");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(stoppedAt, received.Received);

        // The rolling output lives in RAM while the Recorder runs, and goes with it.
        var liveRoot = recorder.Host.Services.GetRequiredService<LiveOutputs>().Root;
        Assert.StartsWith(LiveOptions.RamDisk, liveRoot, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(liveRoot, "cam-1", LiveOutputs.PlaylistName)), "the playlist in RAM");
        await recorder.DisposeAsync();
        Assert.False(Directory.Exists(liveRoot), "the live folder removed when the Recorder stops");
    }
}
