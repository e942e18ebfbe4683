using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>
/// A city's worth of halls on one wall: 5,500 sites through the real hub into real Chromium, then live updates
/// from simulated Recorders. Prints the figures (run it as <c>./hall.sh bench wall</c>); asserts only behaviour.
/// </summary>
public sealed class WallScaleUiTests(ITestOutputHelper output) : ChromiumTest
{
    private const int Sites = 5500;
    private const int Districts = 40;
    private const int Updating = 20;

    [Fact]
    public async Task Wall_With5500Sites_RendersEverySite_AndAppliesLiveUpdatesTileByTile()
    {
        await using var console = await ConsoleServer.StartAsync();
        var store = console.App.Services.GetRequiredService<ISiteStore>();
        for (var i = 0; i < Sites; i++)
        {
            var district = $"区{i % Districts:00}";
            store.Upsert($"s{i:0000}", $"{district}第{i}便民服务中心", district);
        }

        var keys = Enumerable.Range(0, Updating).Select(i => store.IssueKey($"s{i * 97:0000}", revokeOthers: false)).ToList();
        var page = await Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 } });
        await UiSession.SignInAsAdminAsync(page, console);

        // Measure a clean load of the wall: navigation start to the end of the first full render.
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.wallStats && window.wallStats.firstRenderMs !== null", null, new() { Timeout = 60_000 });
        var load = await page.EvaluateAsync<JsonElement>("() => ({ at: wallStats.firstRenderAt, render: wallStats.firstRenderMs, tiles: document.querySelectorAll('[data-site]').length, districts: document.querySelectorAll('section.district').length })");
        Assert.Equal(Sites, load.GetProperty("tiles").GetInt32());
        Assert.Equal(Districts, load.GetProperty("districts").GetInt32());
        await page.EvaluateAsync("() => { wallStats.flushes.length = 0; }");

        // Live updates: each simulated Recorder comes online, staffs two windows, then one goes unstaffed.
        var start = DateTimeOffset.UtcNow;
        var recorders = new List<SimulatedRecorder>();
        try
        {
            for (var i = 0; i < Updating; i++)
            {
                recorders.Add(await SimulatedRecorder.ConnectAsync(console, $"s{i * 97:0000}", keys[i]));
            }

            await Task.WhenAll(recorders.Select(async r =>
            {
                await r.HeartbeatAsync("sim");
                await r.PublishAsync(
                    new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddMinutes(-10) },
                    new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = start.AddMinutes(-10) });
                await r.PublishAsync(new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start, AwaySince = start.AddMinutes(-5) });
            }));
            await Assertions.Expect(page.Locator("[data-state=bad]")).ToHaveCountAsync(Updating, new() { Timeout = 30_000 });
        }
        finally
        {
            foreach (var recorder in recorders)
            {
                await recorder.DisposeAsync();
            }
        }

        for (var i = 0; i < Updating; i++)
        {
            await Assertions.Expect(page.Locator($"[data-site=s{i * 97:0000}] .staffed")).ToHaveTextAsync("在岗 1/2");
        }

        var flushes = await page.EvaluateAsync<JsonElement>("() => wallStats.flushes.filter(f => f.tiles > 0)");
        var costs = flushes.EnumerateArray().Select(f => f.GetProperty("ms").GetDouble()).Order().ToList();
        var tilesPerFlush = flushes.EnumerateArray().Select(f => f.GetProperty("tiles").GetInt32()).ToList();
        Assert.NotEmpty(costs);
        Assert.True(tilesPerFlush.Max() <= Updating, $"an update re-rendered {tilesPerFlush.Max()} tiles instead of only the changed ones");

        var filterMs = await page.EvaluateAsync<double>("() => { const s = document.getElementById('search'); const t0 = performance.now(); s.value = '区07'; s.dispatchEvent(new Event('input')); return performance.now() - t0; }");
        await Assertions.Expect(page.Locator("section.district:not([hidden])")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(page, "wall-5500-sites");

        var p50 = costs[costs.Count / 2];
        output.WriteLine($"{Sites} sites in {Districts} districts; first render {load.GetProperty("at").GetDouble():0} ms after navigation start ({load.GetProperty("render").GetDouble():0} ms of DOM work)");
        output.WriteLine($"{costs.Count} batched updates of {tilesPerFlush.Sum()} tiles: p50 {p50:0.0} ms, max {costs[^1]:0.0} ms per batch; search filter over all tiles {filterMs:0} ms");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall_sites={Sites} first_render_ms={load.GetProperty("at").GetDouble():0} update_p50_ms={p50:0.0} update_max_ms={costs[^1]:0.0} filter_ms={filterMs:0}"));
    }
}
