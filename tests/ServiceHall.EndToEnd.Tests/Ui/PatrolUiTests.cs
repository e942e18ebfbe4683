using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenCvSharp;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Patrol;
using ServiceHall.Console.Viewing;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Video patrol in Chromium: start over chosen sites, see it advance, record a problem with a note, find it listed.</summary>
public sealed class PatrolUiTests : ChromiumTest
{
    [Fact]
    public async Task Patrol_CyclesThroughTheChosenSitesCameras_RecordsAProblemWithItsSnapshot_AndListsIt()
    {
        var now = DateTimeOffset.UtcNow;
        var zone = DaytimeHall.Zone(now);
        await using var console = await ConsoleServer.StartAsync();
        await using var a = await DaytimeHall.AddAsync(console, "hall-a", "甲巡查大厅", "顺庆区", zone);
        await using var b = await DaytimeHall.AddAsync(console, "hall-b", "乙巡查大厅", "顺庆区", zone);
        await using var c = await DaytimeHall.AddAsync(console, "hall-c", "丙未选大厅", "嘉陵区", zone);
        byte[] jpeg;
        using (var frame = new Mat(240, 320, MatType.CV_8UC3, Scalar.All(90)))
        {
            Cv2.ImEncode(".jpg", frame, out jpeg);
        }

        foreach (var (recorder, name, cameras) in new[] { (a, "甲巡查大厅", new[] { "cam-1", "cam-2" }), (b, "乙巡查大厅", ["cam-1"]), (c, "丙未选大厅", ["cam-1"]) })
        {
            await recorder.HeartbeatAsync(name, cameras: [.. cameras.Select(id => new CameraHealthReported(id, $"{id} 机位", true, now, 320, 240, null))]);
            foreach (var id in cameras)
            {
                await recorder.SnapshotAsync(new SnapshotTaken(id, now, 320, 240, jpeg));
            }
        }

        var viewers = console.App.Services.GetRequiredService<ViewerRegistry>();
        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("nav a[href='patrol.html']");
        await Assertions.Expect(page.Locator("#patrols tr")).ToHaveTextAsync("尚无巡查记录");

        // Nothing chosen: refused on the page.
        await page.ClickAsync("#start button[type=submit]");
        await Assertions.Expect(page.Locator("#start-error")).ToHaveTextAsync("请至少选择一个站点");
        await page.CheckAsync("#site-choice input[data-district='顺庆区']");
        await page.FillAsync("#interval", "8");
        await page.ClickAsync("#start button[type=submit]");

        await Assertions.Expect(page.Locator("#run")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#stop-index")).ToHaveTextAsync("1/3");
        await Assertions.Expect(page.Locator("#stop-title")).ToContainTextAsync("甲巡查大厅");
        await Assertions.Expect(page.Locator("#patrol-image")).ToBeVisibleAsync();
        await Eventually.True(() => viewers.For("hall-a").CameraIds.SequenceEqual(["cam-1"]), TimeSpan.FromSeconds(20), "hall-a cam-1 watched");

        // It advances by itself, and the watched camera follows.
        await Assertions.Expect(page.Locator("#stop-index")).ToHaveTextAsync("2/3", new() { Timeout = 30_000 });
        await Eventually.True(() => viewers.For("hall-a").CameraIds.SequenceEqual(["cam-2"]) || viewers.For("hall-b").CameraIds.SequenceEqual(["cam-1"]), TimeSpan.FromSeconds(20), "the next camera watched");
        await page.ClickAsync("#pause");
        await Assertions.Expect(page.Locator("#pause")).ToHaveTextAsync("继续");
        // On a slow machine it may have moved on once more before the pause: record at whichever stop it shows.
        var stop = int.Parse((await page.Locator("#run").GetAttributeAsync("data-stop"))!, System.Globalization.CultureInfo.InvariantCulture);
        var stopTitle = await page.Locator("#stop-title").TextContentAsync();

        await page.ClickAsync("#problem");
        await Assertions.Expect(page.Locator("#finding-result")).ToHaveTextAsync("请填写问题说明");
        await page.FillAsync("#note", "窗口无人，柜台堆放杂物");
        await page.ClickAsync("#problem");
        await Assertions.Expect(page.Locator("#finding-result")).ToHaveTextAsync("已记录: 有问题");
        await page.ClickAsync("#next");
        await Assertions.Expect(page.Locator("#stop-index")).ToHaveTextAsync($"{(stop + 1) % 3 + 1}/3");
        await page.ClickAsync("#fine");
        await Assertions.Expect(page.Locator("#finding-result")).ToHaveTextAsync("已记录: 正常");
        await Chromium.ScreenshotAsync(page, "patrol-running");

        await page.ClickAsync("#end");
        await Assertions.Expect(page.Locator("#run")).ToBeHiddenAsync();
        await Eventually.True(() => !viewers.For("hall-b").Any, TimeSpan.FromSeconds(20), "nothing watched after the patrol");
        var row = page.Locator("#patrols tr.patrol");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".problems")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator(".findings-count")).ToHaveTextAsync("2");
        await row.ClickAsync();
        var problem = page.Locator("#findings tr.finding[data-verdict='Problem']");
        await Assertions.Expect(problem.Locator(".note")).ToHaveTextAsync("窗口无人，柜台堆放杂物");
        await Assertions.Expect(problem).ToContainTextAsync(stopTitle!);
        await page.WaitForFunctionAsync("() => document.querySelector(\"#findings tr.finding[data-verdict='Problem'] img\")?.naturalWidth === 320");
        await Chromium.ScreenshotAsync(page, "patrol-listed");
        await page.ClickAsync("#lang");
        await Assertions.Expect(page.Locator("#patrols tr.patrol .problems")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("th[data-i18n='colStarted']")).ToHaveTextAsync("Started");
        await Assertions.Expect(page.Locator("#start button[type=submit]")).ToHaveTextAsync("Start patrol");

        var stored = console.App.Services.GetRequiredService<IPatrolStore>().List(_ => true, 10).Single();
        Assert.Equal(["hall-a/cam-1", "hall-a/cam-2", "hall-b/cam-1"], stored.Stops.Select(s => $"{s.SiteId}/{s.CameraId}"));
        Assert.Equal(stop, stored.Findings[0].Stop);
        Assert.Equal(jpeg, console.App.Services.GetRequiredService<IPatrolStore>().Snapshot(stored.Findings[0].SnapshotId!));
        Assert.NotNull(stored.EndedAtTicks);
        var audit = console.App.Services.GetRequiredService<AuditLog>().Recent(50);
        Assert.Contains(audit, e => e is { Action: AuditActions.PatrolFindingRecorded, Actor: "admin" } && e.Detail!.Contains("窗口无人", StringComparison.Ordinal));
    }
}
