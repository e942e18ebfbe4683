using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Patrol;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Patrol;

/// <summary>The patrol REST API on a real Console: planning, findings with their snapshot, bad input, roles and visibility.</summary>
public sealed class PatrolApiTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9];
    private static readonly string[] HallA = ["hall-a"];

    private static async Task<HubConnection> RecorderWithCamerasAsync(ConsoleServer server, string siteId, string key, params string[] cameras)
    {
        var recorder = server.RecorderConnection(siteId, key);
        await recorder.StartAsync();
        var now = DateTimeOffset.UtcNow;
        await recorder.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent(siteId, "t", now, 500L << 30, [.. cameras.Select(c => new CameraHealthReported(c, c.ToUpperInvariant(), true, now, 320, 240, null))]));
        foreach (var camera in cameras)
        {
            await recorder.InvokeAsync(nameof(IRecorderHub.PublishSnapshot), new SnapshotTaken(camera, now, 320, 240, Jpeg));
        }

        return recorder;
    }

    [Fact]
    public async Task Patrol_StopsAtEveryCameraOfTheDistrict_KeepsAProblemsSnapshot_AndEnds()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var b = await RecorderWithCamerasAsync(server, "hall-b", server.AddSite("hall-b", "乙", "d1"), "cam-2", "cam-1");
        await using var a = await RecorderWithCamerasAsync(server, "hall-a", server.AddSite("hall-a", "甲", "d1"), "cam-1");
        await using var other = await RecorderWithCamerasAsync(server, "hall-z", server.AddSite("hall-z", "外", "d2"), "cam-1");
        using var admin = await server.SignedInClientAsync();

        var started = await admin.Http.PostAsJsonAsync("/api/patrols", new { district = "d1", intervalSeconds = 10 });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var patrol = (await started.Content.ReadFromJsonAsync<JsonElement>());
        var id = patrol.GetProperty("patrolId").GetString()!;
        Assert.Equal(["hall-a/cam-1", "hall-b/cam-1", "hall-b/cam-2"], patrol.GetProperty("stops").EnumerateArray().Select(s => $"{s.GetProperty("siteId").GetString()}/{s.GetProperty("cameraId").GetString()}"));

        var noNote = await admin.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 2, verdict = "Problem", note = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Contains("a problem needs a note", await noNote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 3, verdict = "Fine" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 0, verdict = "Maybe" })).StatusCode);

        var problem = await admin.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 2, verdict = "Problem", note = "镜头被遮挡" });
        Assert.Equal(HttpStatusCode.OK, problem.StatusCode);
        var snapshotUrl = (await problem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("snapshotUrl").GetString()!;
        Assert.Equal(Jpeg, await admin.Http.GetByteArrayAsync(snapshotUrl));
        var fine = await (await admin.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 0, verdict = "Fine" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, fine.GetProperty("snapshotUrl").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PostAsync($"/api/patrols/{id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Http.PostAsync($"/api/patrols/{id}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 0, verdict = "Fine" })).StatusCode);

        var listed = (await admin.Http.GetFromJsonAsync<JsonElement>("/api/patrols")).EnumerateArray().Single();
        Assert.Equal(1, listed.GetProperty("problems").GetInt32());
        Assert.Equal(["Problem", "Fine"], listed.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("verdict").GetString()));
        Assert.Equal("镜头被遮挡", listed.GetProperty("findings")[0].GetProperty("note").GetString());
        var audit = server.App.Services.GetRequiredService<AuditLog>().Recent(50);
        Assert.Contains(audit, e => e.Action == AuditActions.PatrolStarted && e.Target == $"patrol:{id}");
        Assert.Equal(2, audit.Count(e => e.Action == AuditActions.PatrolFindingRecorded && e.Target == $"patrol:{id}"));
        Assert.Contains(audit, e => e.Action == AuditActions.PatrolEnded && e.Target == $"patrol:{id}");
    }

    [Fact]
    public async Task Patrol_BadStarts_AreRefusedWithReasons_ViewersCannotStart_AndOthersDistrictsStayHidden()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var a = await RecorderWithCamerasAsync(server, "hall-a", server.AddSite("hall-a", "甲", "d1"), "cam-1");
        server.AddSite("hall-empty", "空", "d1");
        using var admin = await server.SignedInClientAsync();

        async Task<string> Refused(object body)
        {
            var response = await admin.Http.PostAsJsonAsync("/api/patrols", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("intervalSeconds must be between 5 and 600", await Refused(new { siteIds = HallA, intervalSeconds = 2 }), StringComparison.Ordinal);
        Assert.Contains("site 'nope' is not visible", await Refused(new { siteIds = (string[])["nope"], intervalSeconds = 10 }), StringComparison.Ordinal);
        Assert.Contains("choose at least one site", await Refused(new { intervalSeconds = 10 }), StringComparison.Ordinal);
        Assert.Contains("report no cameras yet", await Refused(new { siteIds = (string[])["hall-empty"], intervalSeconds = 10 }), StringComparison.Ordinal);
        Assert.Empty(server.App.Services.GetRequiredService<IPatrolStore>().List(_ => true, 10));

        var started = await admin.Http.PostAsJsonAsync("/api/patrols", new { siteIds = HallA, intervalSeconds = 10 });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("patrolId").GetString();

        using var viewer = await server.SignedInUserAsync("v1", "Viewer", "d1");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Http.PostAsJsonAsync("/api/patrols", new { siteIds = HallA, intervalSeconds = 10 })).StatusCode);
        Assert.Single((await viewer.Http.GetFromJsonAsync<JsonElement>("/api/patrols")).EnumerateArray());

        using var outsider = await server.SignedInUserAsync("s2", "Supervisor", "d2");
        Assert.Empty((await outsider.Http.GetFromJsonAsync<JsonElement>("/api/patrols")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/api/patrols/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.PostAsJsonAsync($"/api/patrols/{id}/findings", new { stop = 0, verdict = "Fine" })).StatusCode);
    }
}
