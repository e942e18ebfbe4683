using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Api;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Api;

/// <summary>The REST API on real Kestrel: OpenAPI document, events by time range, attendance, admin keys and audit.</summary>
public sealed class ApiTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var http = server.AnonymousClient();

        var document = await http.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/alerts", "/api/events", "/api/attendance", "/api/sites/{siteId}/windows", "/api/admin/sites/{siteId}/keys", "/api/metrics" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EventsByTimeRange_AndAttendance_ComeFromStoredEvents_OnlyForVisibleSites()
    {
        await using var server = await ConsoleServer.StartAsync();
        var keyA = server.AddSite("hall-a", "甲", "d1");
        var keyB = server.AddSite("hall-b", "乙", "d2");
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1));
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)); // Asia/Shanghai midnight
        await PublishAsync(server, "hall-a", keyA,
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddHours(9) },
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddHours(10) },
            new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddHours(10).AddMinutes(5), AwaySince = start.AddHours(10) },
            new WindowRestaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddHours(11), AwaySince = start.AddHours(10) });
        await PublishAsync(server, "hall-b", keyB, new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = start.AddHours(9) });
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");

        var from = Uri.EscapeDataString(start.ToString("O"));
        var to = Uri.EscapeDataString(start.AddDays(1).ToString("O"));
        var events = await supervisor.Http.GetFromJsonAsync<List<JsonElement>>($"/api/events?from={from}&to={to}");
        var attendance = await supervisor.Http.GetFromJsonAsync<ServiceHall.Console.Api.Attendance.SiteDay>($"/api/attendance?site=hall-a&day={day:yyyy-MM-dd}");
        var hidden = await supervisor.Http.GetAsync($"/api/attendance?site=hall-b&day={day:yyyy-MM-dd}");
        var badRange = await supervisor.Http.GetAsync($"/api/events?from={to}&to={from}");
        var proof = await supervisor.Http.GetAsync("/api/events/hall-a/3/snapshot.jpg");
        var noProof = await supervisor.Http.GetAsync("/api/events/hall-a/2/snapshot.jpg");

        Assert.Equal(4, events!.Count);
        Assert.All(events, e => Assert.Equal("hall-a", e.GetProperty("siteId").GetString()));
        Assert.Equal("WindowStaffed", events[0].GetProperty("event").GetProperty("type").GetString());
        var window = Assert.Single(attendance!.Windows);
        Assert.Equal((3600d + (13 * 3600d), 300d, 3300d, 9 * 3600d), (window.StaffedSeconds, window.AwaySeconds, window.UnstaffedSeconds, window.UnknownSeconds));
        Assert.Equal(1, window.Absences);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], await proof.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, noProof.StatusCode);
    }

    [Fact]
    public async Task Admin_IssuesAKeyShownOnce_RevokesIt_ClosingTheOpenConnection_AndBothAreAudited_NonAdminIsRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");

        var created = await admin.Http.PutAsJsonAsync("/api/admin/sites/hall-k", new { id = "hall-k", name = "K", district = "d1" });
        var issued = await (await admin.Http.PostAsync("/api/admin/sites/hall-k/keys", null)).Content.ReadFromJsonAsync<AdminEndpoints.KeyIssued>();
        await using var open = server.RecorderConnection("hall-k", issued!.Key);
        await open.StartAsync();
        await open.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("K", "1", DateTimeOffset.UtcNow, 1, []));

        var keys = await admin.Http.GetStringAsync("/api/admin/sites/hall-k/keys");
        var revoked = await admin.Http.DeleteAsync($"/api/admin/sites/hall-k/keys/{issued.KeyId}");
        var nextHeartbeat = await Assert.ThrowsAnyAsync<Exception>(() => open.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("K", "1", DateTimeOffset.UtcNow, 1, [])));
        await Eventually.True(() => open.State == HubConnectionState.Disconnected, TimeSpan.FromSeconds(10), "the revoked Recorder's connection to close");
        await using var refused = server.RecorderConnection("hall-k", issued.Key);
        var afterRevoke = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());
        var bySupervisor = await supervisor.Http.PostAsync("/api/admin/sites/hall-k/keys", null);
        var audit = await admin.Http.GetFromJsonAsync<List<AdminEndpoints.AuditView>>("/api/admin/audit");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.DoesNotContain(issued.Key, keys, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.NotNull(nextHeartbeat);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySupervisor.StatusCode);
        Assert.Contains(audit!, e => e.Action == "SiteKeyIssued" && e.Actor == "admin" && e.Target == "site:hall-k");
        Assert.Contains(audit!, e => e.Action == "SiteKeyRevoked" && e.Detail == $"key {issued.KeyId}");
    }

    private static async Task PublishAsync(ConsoleServer server, string siteId, string key, params SiteEvent[] events)
    {
        await using var recorder = server.RecorderConnection(siteId, key);
        await recorder.StartAsync();
        var sequence = 0;
        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents),
            new EventBatchSent([.. events.Select(e => new EventRecorded(Guid.NewGuid(), ++sequence, DateTimeOffset.UtcNow, e, e is WindowUnstaffed ? [0xFF, 0xD8, 0xFF, 0xD9] : null))]));
        Assert.Equal(events.Length, ack.Stored);
    }
}
