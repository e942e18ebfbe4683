using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Ingest;

/// <summary>Stored events read back over REST on real Kestrel: by time range, their proof pictures, the attendance they add up to.</summary>
public sealed class EventEndpointsTests
{
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
        var attendance = await supervisor.Http.GetFromJsonAsync<AttendanceDays.SiteDay>($"/api/attendance?site=hall-a&day={day:yyyy-MM-dd}");
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
