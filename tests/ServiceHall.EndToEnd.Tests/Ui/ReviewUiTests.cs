using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Review;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>
/// Complaint review in Chromium against a real Recorder and RTSP camera: request a clip on the review page, watch it play,
/// keep it as a case, download the package, and verify it (page and command) intact and tampered.
/// </summary>
public sealed class ReviewUiTests : ChromiumTest
{
    [Fact]
    public async Task ReviewPage_RequestedClipPlays_KeptCaseDownloadsAsVerifiablePackage_TamperingIsCaught()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        await using var world = await ClipOnPage.RequestAsync(camera.Url("cam"), Browser);
        var (console, recorder, page) = (world.Console, world.Recorder, world.Page);
        await Chromium.ScreenshotAsync(page, "review-clip-playing");

        await page.FillAsync("#case-reason", "");
        await page.ClickAsync("#keep button[type=submit]");
        await Assertions.Expect(page.Locator("#keep-result")).ToHaveTextAsync("请填写原因");
        await page.FillAsync("#case-reason", "投诉核查 2026-001");
        await page.ClickAsync("#keep button[type=submit]");
        await Assertions.Expect(page.Locator("#cases tr.case")).ToHaveCountAsync(1);
        var caseId = await page.Locator("#cases tr.case").GetAttributeAsync("data-case");

        // Evidence holds: the clip's source range is held; a range held by hand is confirmed by the Recorder, then released.
        await Assertions.Expect(page.Locator("#holds tr.hold[data-status='Held']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.ClickAsync("#hold-range");
        await Assertions.Expect(page.Locator("#holds tr.hold")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#holds tr.hold[data-status='Held']")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await page.Locator("#holds tr.hold").First.Locator("button.release").ClickAsync();
        await Assertions.Expect(page.Locator("#holds tr.hold[data-status='Released']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#holds tr.hold[data-status='Released'] .hold-status")).ToHaveTextAsync("已解除 (admin)");
        await Chromium.ScreenshotAsync(page, "review-holds");
        Assert.Single(recorder.Host.Services.GetRequiredService<SegmentIndex>().Holds());
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#keep-result a.download"));
        using var temp = new TempDirectory();
        var intact = Path.Combine(temp.Path, "case.zip");
        await download.SaveAsAsync(intact);

        string clipName;
        using (var zip = ZipFile.OpenRead(intact))
        {
            var sums = ReadSums(zip);
            clipName = zip.Entries.Single(e => e.FullName.EndsWith(".mp4", StringComparison.Ordinal)).FullName;
            var manifest = JsonSerializer.Deserialize<ClipExported>(zip.GetEntry(CasePackage.ManifestEntry)!.Open(), WireJson.Options)!;
            string clipHash;
            using (var stream = zip.GetEntry(clipName)!.Open())
            {
                clipHash = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            Assert.Equal(clipHash, sums[clipName]);
            Assert.Equal(clipHash, manifest.Sha256);
            Assert.Equal(("hall-1", "cam-1"), (manifest.SiteId, manifest.CameraId));
            using var caseJson = JsonDocument.Parse(zip.GetEntry(CasePackage.CaseEntry)!.Open());
            Assert.Equal("投诉核查 2026-001", caseJson.RootElement.GetProperty("reason").GetString());
            Assert.Equal(sums[CasePackage.CaseEntry], Convert.ToHexStringLower(SHA256.HashData(zip.GetEntry(CasePackage.CaseEntry)!.Open())));
            Assert.Equal(sums[CasePackage.ManifestEntry], Convert.ToHexStringLower(SHA256.HashData(zip.GetEntry(CasePackage.ManifestEntry)!.Open())));
        }

        var audit = console.App.Services.GetRequiredService<AuditLog>().Recent(100);
        var clipId = clipName[^36..^4];
        Assert.Contains(audit, e => e is { Action: AuditActions.RecordingViewed, Actor: "admin" } && e.Target == $"clip:{clipId}");
        Assert.Contains(audit, e => e is { Action: AuditActions.CaseKept, Actor: "admin" } && e.Target == $"case:{caseId}" && e.Detail!.Contains("投诉核查 2026-001", StringComparison.Ordinal));
        Assert.Contains(audit, e => e is { Action: AuditActions.RecordingExported, Actor: "admin" } && e.Target == $"case:{caseId}");
        Assert.Contains(audit, e => e is { Action: AuditActions.HoldPlaced, Actor: "admin" });
        Assert.Contains(audit, e => e is { Action: AuditActions.HoldReleased, Actor: "admin" });

        // The same package with one byte of the clip changed.
        var tampered = Path.Combine(temp.Path, "tampered.zip");
        File.Copy(intact, tampered);
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry(clipName)!;
            byte[] bytes;
            using (var stream = entry.Open())
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            bytes[bytes.Length / 2] ^= 0x01;
            entry.Delete();
            using var replaced = zip.CreateEntry(clipName, CompressionLevel.NoCompression).Open();
            replaced.Write(bytes);
        }

        await page.GotoAsync(new Uri(console.BaseAddress, "/verify.html").ToString());
        await page.SetInputFilesAsync("#package", intact);
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-intact", "true");
        await Assertions.Expect(page.Locator("#problems li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#signed-by")).ToContainTextAsync("ServiceHall Console");
        await page.SetInputFilesAsync("#package", tampered);
        await Assertions.Expect(page.Locator("#verdict")).ToHaveAttributeAsync("data-intact", "false");
        await Assertions.Expect(page.Locator("#problems li").First).ToContainTextAsync(clipName);
        await Chromium.ScreenshotAsync(page, "verify-tampered");

        // The command behind ./hall.sh verify.
        string[] keys = [$"--Storage:DataDirectory={console.DataDirectory}"];
        using var intactOut = new StringWriter();
        Assert.Equal(0, CasePackage.VerifyCommand(intact, keys, intactOut));
        Assert.Contains("signed by ServiceHall Console", intactOut.ToString(), StringComparison.Ordinal);
        using var tamperedOut = new StringWriter();
        Assert.Equal(1, CasePackage.VerifyCommand(tampered, keys, tamperedOut));
        Assert.Contains($"{clipName}: SHA-256", tamperedOut.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewPage_HevcClip_PlaysInChromiumFromItsH264ViewingCopy()
    {
        // Real footage as a 1440p H.265 camera. Chromium here has no HEVC decoder: the clip plays (RequestAsync waits
        // for it) because the page plays the clip's viewing copy, 1280x720 H.264.
        await using var camera = await RtspCamera.StartFilesAsync(("cam", CameraFiles.Test("b-main")));
        await using var world = await ClipOnPage.RequestAsync(camera.Url("cam"), Browser);

        var (source, width) = (await world.Page.EvalOnSelectorAsync<string>("#player", "p => p.currentSrc"), await world.Page.EvalOnSelectorAsync<int>("#player", "p => p.videoWidth"));

        Assert.EndsWith("/view", source, StringComparison.Ordinal);
        Assert.Equal(1280, width);
    }

    [Fact]
    public async Task ReviewPage_ShowsTheDaysOccupancyEventsAndRecordingGaps_ForTheChosenWindowsCamera()
    {
        var now = DateTimeOffset.UtcNow;
        await using var console = await ConsoleServer.StartAsync();
        await using var recorder = await DaytimeHall.AddAsync(console, "hall-rev", "调阅测试大厅", "测试区", DaytimeHall.Zone(now));
        await recorder.HeartbeatAsync("调阅测试大厅", cameras: [new CameraHealthReported("cam-1", "一号机", true, now, 320, 240, null), new CameraHealthReported("cam-2", "二号机", true, now, 320, 240, null)]);
        await recorder.PublishAsync(
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-9) },
            new WindowStaffed { CameraId = "cam-2", WindowId = "w05", OccurredAt = now.AddMinutes(-9) },
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-8) },
            new RecordingGap { CameraId = "cam-1", OccurredAt = now.AddMinutes(-3), From = now.AddMinutes(-5), To = now.AddMinutes(-3), Cause = "camera down" },
            new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = now.AddMinutes(-1), AwaySince = now.AddMinutes(-8), LastSeenAt = now.AddMinutes(-8).AddSeconds(-21), VacatedAt = now.AddMinutes(-8) });

        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        await page.ClickAsync("nav a[href='review.html']");
        await Assertions.Expect(page.Locator("#zone")).ToContainTextAsync(DaytimeHall.Zone(now));
        await page.SelectOptionAsync("#window", "w01");
        await Assertions.Expect(page.Locator("#camera")).ToHaveValueAsync("cam-1");
        await Assertions.Expect(page.Locator("#timeline [data-window=w01] .bar.staffed")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline [data-window=w01] .bar.unstaffed")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline [data-window=w05]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#timeline .line.recording .bar.gap")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#events tr.event[data-type=RecordingGap]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#events tr.event")).ToHaveCountAsync(4);
        // The unstaffed event lists its absence's moments, as the alert does.
        string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(DaytimeHall.Zone(now))).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var unstaffedRow = page.Locator("#events tr.event[data-type=WindowUnstaffed]");
        await Assertions.Expect(unstaffedRow).ToContainTextAsync($"最后在座 ");
        await Assertions.Expect(unstaffedRow).ToContainTextAsync(Local(now.AddMinutes(-8).AddSeconds(-21)));
        await Assertions.Expect(unstaffedRow).ToContainTextAsync($"确认离岗 ");
        await Chromium.ScreenshotAsync(page, "review-day");

        // The other window is on the other camera, which recorded without a gap.
        await page.SelectOptionAsync("#window", "w05");
        await Assertions.Expect(page.Locator("#camera")).ToHaveValueAsync("cam-2");
        await Assertions.Expect(page.Locator("#timeline [data-window=w05] .bar.staffed")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#timeline .line.recording .bar.gap")).ToHaveCountAsync(0);
        await page.ClickAsync("#lang");
        await Assertions.Expect(page.Locator("[data-i18n=gap]")).ToHaveTextAsync("No recording");
    }

    private static Dictionary<string, string> ReadSums(ZipArchive zip)
    {
        using var reader = new StreamReader(zip.GetEntry(CasePackage.SumsEntry)!.Open());
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);
    }

    /// <summary>A Console, a Recorder of <c>cameraUrl</c> and a signed-in review page that requested a clip and is playing it.</summary>
    private sealed record ClipOnPage(ConsoleServer Console, RecorderHarness Recorder, IPage Page) : IAsyncDisposable
    {
        public static async Task<ClipOnPage> RequestAsync(string cameraUrl, IBrowser browser)
        {
            var console = await ConsoleServer.StartAsync();
            var zone = DaytimeHall.Zone(DateTimeOffset.UtcNow);
            var sites = console.App.Services.GetRequiredService<ISiteStore>();
            sites.Upsert("hall-1", "测试大厅", "测试区", zone);
            var key = sites.IssueKey("hall-1", revokeOthers: false);
            var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-1", key, cameraUrl, "--Recording:SegmentLength=00:00:02", "--Recording:IndexInterval=00:00:00.300", "--Recording:MinFreeDiskBytes=0");
            var index = recorder.Host.Services.GetRequiredService<SegmentIndex>();
            await Eventually.True(() => index.ForCamera("cam-1").Count >= 4, TimeSpan.FromSeconds(60), "four recorded segments");
            var segments = index.ForCamera("cam-1");
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var from = TimeZoneInfo.ConvertTime(segments[0].Start.AddSeconds(1), tz);
            var to = TimeZoneInfo.ConvertTime(segments[3].End.AddSeconds(-1), tz);

            var page = await browser.NewPageAsync(new BrowserNewPageOptions { AcceptDownloads = true });
            await UiSession.SignInAsAdminAsync(page, console);
            await page.GotoAsync(new Uri(console.BaseAddress, "/review.html?site=hall-1&camera=cam-1").ToString());
            await Assertions.Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("pill-on"));
            await Assertions.Expect(page.Locator("#timeline .line.recording[data-camera='cam-1'] .bar.recorded")).ToHaveCountAsync(1);
            await page.FillAsync("#day", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await page.FillAsync("#from", from.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
            await page.FillAsync("#to", to.ToString("HH:mm:ss", CultureInfo.InvariantCulture));

            // No reason, no request.
            await page.ClickAsync("#request button[type=submit]");
            await Assertions.Expect(page.Locator("#request-error")).ToHaveTextAsync("请填写原因");
            await page.FillAsync("#reason", "市民投诉：窗口无人");
            await page.ClickAsync("#request button[type=submit]");
            await Assertions.Expect(page.Locator("#clip-status")).ToHaveAttributeAsync("data-status", "Complete", new() { Timeout = 90_000 });
            await page.WaitForFunctionAsync("() => document.getElementById('player').currentTime > 0.5", null, new() { Timeout = 30_000 });
            return new ClipOnPage(console, recorder, page);
        }

        public async ValueTask DisposeAsync()
        {
            await Recorder.DisposeAsync();
            await Console.DisposeAsync();
        }
    }
}
