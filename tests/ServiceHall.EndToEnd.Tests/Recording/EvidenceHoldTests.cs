using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Recorder.Recording;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Recording;

/// <summary>Evidence holds placed and released by hand at the Console, carried to the Recorder, confirmed back, obeyed by retention.</summary>
public sealed class EvidenceHoldTests
{
    [Fact]
    public async Task HoldPlacedAtTheConsole_IsConfirmedAndKeepsItsSegmentsThroughRetention_UntilReleased()
    {
        await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        // A quota of one byte: retention deletes every segment it may.
        await using var recorder = await RecorderHarness.StartAsync(
            console.BaseAddress, "hall-1", key, camera.Url("cam"),
            "--Recording:SegmentLength=00:00:02", "--Recording:IndexInterval=00:00:00.300", "--Recording:MinFreeDiskBytes=0",
            "--Recording:MaxDiskBytes=1", "--Recording:RetentionInterval=01:00:00");
        var index = recorder.Host.Services.GetRequiredService<SegmentIndex>();
        var retention = recorder.Host.Services.GetRequiredService<RetentionService>();
        var root = recorder.Host.Services.GetRequiredService<RecordingSessions>().Root;
        await Eventually.True(() => index.ForCamera("cam-1").Count >= 3, TimeSpan.FromSeconds(60), "three recorded segments");
        var held = index.ForCamera("cam-1")[1];
        using var supervisor = await console.SignedInUserAsync("zhang", "Supervisor", "测试区");

        var placed = await supervisor.Http.PostAsJsonAsync("/api/sites/hall-1/holds", new { cameraId = "cam-1", from = held.Start.AddSeconds(0.2), to = held.End.AddSeconds(-0.2), reason = "市民投诉 2026-118" });
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var holdId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!;
        await WaitForStatusAsync(supervisor, holdId, "Held", "the Recorder confirms the hold");
        Assert.Equal(("cam-1", "zhang"), (index.FindHold(holdId)!.CameraId, index.FindHold(holdId)!.PlacedBy));

        await retention.RunOnceAsync(CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(root, held.Path)), "the held segment survives retention");
        Assert.Equal([held.Path], index.ForCamera("cam-1").Where(s => s.End <= held.End).Select(s => s.Path));

        var released = await supervisor.Http.DeleteAsync($"/api/sites/hall-1/holds/{holdId}");
        Assert.Equal(HttpStatusCode.Accepted, released.StatusCode);
        await WaitForStatusAsync(supervisor, holdId, "Released", "the Recorder confirms the release");
        Assert.Null(index.FindHold(holdId));
        await retention.RunOnceAsync(CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(root, held.Path)), "released, the segment goes");

        var audit = console.App.Services.GetRequiredService<AuditLog>().Recent(50);
        Assert.Contains(audit, e => e.Action == AuditActions.HoldPlaced && e.Actor == "zhang" && e.Target == $"hold:{holdId}");
        Assert.Contains(audit, e => e.Action == AuditActions.HoldReleased && e.Actor == "zhang" && e.Target == $"hold:{holdId}");
    }

    [Fact]
    public async Task HoldPlacedWhileTheRecorderIsOffline_IsDeliveredWhenItConnects()
    {
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-1");
        using var admin = await console.SignedInClientAsync();
        var from = DateTimeOffset.UtcNow.AddHours(-1);

        var placed = await admin.Http.PostAsJsonAsync("/api/sites/hall-1/holds", new { cameraId = "cam-1", from, to = from.AddMinutes(10), reason = "案件 7" });
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var holdId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("holdId").GetString()!;
        Assert.Equal("Requested", await StatusAsync(admin, holdId));

        // No camera needed: the hold travels over the uplink alone.
        await using var recorder = await RecorderHarness.StartAsync(console.BaseAddress, "hall-1", key, "rtsp://127.0.0.1:9/none");
        await WaitForStatusAsync(admin, holdId, "Held", "the hold is delivered on connect and confirmed");
        var hold = recorder.Host.Services.GetRequiredService<SegmentIndex>().FindHold(holdId)!;
        Assert.Equal((from.UtcTicks, from.AddMinutes(10).UtcTicks, "案件 7", "admin"), (hold.FromTicks, hold.ToTicks, hold.Reason, hold.PlacedBy));
    }

    [Fact]
    public async Task HoldRequests_AreRefusedForViewersOtherDistrictsAndBadInput()
    {
        await using var console = await ConsoleServer.StartAsync();
        console.AddSite("hall-1");
        using var viewer = await console.SignedInUserAsync("li", "Viewer", "测试区");
        using var elsewhere = await console.SignedInUserAsync("wang", "Supervisor", "别的区");
        using var supervisor = await console.SignedInUserAsync("zhang", "Supervisor", "测试区");
        var from = DateTimeOffset.UtcNow.AddHours(-1);
        var good = new { cameraId = "cam-1", from, to = from.AddMinutes(5), reason = "投诉" };

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Http.PostAsJsonAsync("/api/sites/hall-1/holds", good)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.PostAsJsonAsync("/api/sites/hall-1/holds", good)).StatusCode);
        var bad = await supervisor.Http.PostAsJsonAsync("/api/sites/hall-1/holds", new { cameraId = "Cam 1", from, to = from.AddMinutes(-5), reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("hold").GetArrayLength();
        Assert.Equal(3, problems);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.Http.DeleteAsync($"/api/sites/hall-1/holds/{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(0, (await viewer.Http.GetFromJsonAsync<JsonElement>("/api/sites/hall-1/holds")).GetArrayLength());
    }

    private static async Task WaitForStatusAsync(SignedInClient client, string holdId, string status, string what)
    {
        var last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            last = await StatusAsync(client, holdId);
            if (last == status)
            {
                return;
            }
        }

        Assert.Fail($"timed out waiting for {what}: hold is {last}");
    }

    private static async Task<string?> StatusAsync(SignedInClient client, string holdId)
    {
        var holds = await client.Http.GetFromJsonAsync<JsonElement>("/api/sites/hall-1/holds");
        return holds.EnumerateArray().Where(h => h.GetProperty("holdId").GetString() == holdId).Select(h => h.GetProperty("status").GetString()).FirstOrDefault();
    }
}
