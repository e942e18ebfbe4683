using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Alerts;

/// <summary>A clerk motionless at the seat (睡岗): the alert opens with its snapshot and resolves, the report counts the minutes.</summary>
public sealed class ClerkInactiveTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateOnly Day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).Date).AddDays(-2);

    // That day's 10:00 local (02:00 UTC).
    private static readonly DateTimeOffset Ten = new(Day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0xFF, 0xD9];

    [Fact]
    public async Task ClerkInactive_OpensAnAlertWithItsSnapshot_ClerkActiveResolvesIt_AndTheReportShowsInactiveMinutes()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = server.RecorderConnection("hall-a", server.AddSite("hall-a"));
        await recorder.StartAsync();
        using var admin = await server.SignedInClientAsync();

        await PublishAsync(recorder, 1, new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = Ten }, null);
        await PublishAsync(recorder, 2, new ClerkInactive { CameraId = "cam-1", WindowId = "w01", OccurredAt = Ten.AddMinutes(20), InactiveSince = Ten.AddMinutes(10) }, Jpeg);

        var open = Assert.Single((await admin.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts", WireJson.Options))!);
        Assert.Equal((AlertTypes.ClerkInactive, "w01", AlertStates.Open, Ten.AddMinutes(10), 2L), (open.Type, open.Subject, open.State, open.OpenedAt, open.SnapshotSequence));
        Assert.Equal(Jpeg, await admin.Http.GetByteArrayAsync($"/api/events/hall-a/{open.SnapshotSequence}/snapshot.jpg"));

        await PublishAsync(recorder, 3, new ClerkActive { CameraId = "cam-1", WindowId = "w01", OccurredAt = Ten.AddMinutes(25), InactiveSince = Ten.AddMinutes(10), Reason = InactivityEnd.Moved }, null);

        Assert.Empty((await admin.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts", WireJson.Options))!);
        var resolved = Assert.Single((await admin.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts?all=true", WireJson.Options))!);
        Assert.Equal((open.AlertId, AlertStates.Resolved), (resolved.AlertId, resolved.State));

        // Not closed by the Recorder yet: the provisional day counts the stretch from the last movement (15 min).
        var url = $"/api/attendance/report?scope=site&id=hall-a&period=day&date={Day:yyyy-MM-dd}";
        var provisional = (await admin.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("rows")[0];
        Assert.Equal((15.0, 1), (provisional.GetProperty("inactiveMinutes").GetDouble(), provisional.GetProperty("provisionalDays").GetInt32()));

        await PublishAsync(recorder, 4, new AttendanceDayClosed
        {
            CameraId = "cam-1", WindowId = "w01", OccurredAt = Ten.AddHours(14), Day = Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ScheduledSeconds = 23_400, StaffedSeconds = 23_400, AwaySeconds = 0, UnstaffedSeconds = 0, UnknownSeconds = 0, InactiveSeconds = 900, Absences = [],
        }, null);

        var closed = (await admin.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("rows")[0];
        Assert.Equal((15.0, 0), (closed.GetProperty("inactiveMinutes").GetDouble(), closed.GetProperty("provisionalDays").GetInt32()));
        var csv = System.Text.Encoding.UTF8.GetString(await admin.Http.GetByteArrayAsync(url.Replace("/report?", "/report.csv?", StringComparison.Ordinal) + "&lang=en"));
        Assert.EndsWith(",0,15.0", csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].TrimEnd('\r'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClerkInactive_IsResolvedWhenTheClerkLeaves_EvenWithoutClerkActive()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = server.RecorderConnection("hall-a", server.AddSite("hall-a"));
        await recorder.StartAsync();
        using var admin = await server.SignedInClientAsync();

        await PublishAsync(recorder, 1, new ClerkInactive { CameraId = "cam-1", WindowId = "w01", OccurredAt = Ten.AddMinutes(20), InactiveSince = Ten.AddMinutes(10) }, Jpeg);
        await PublishAsync(recorder, 2, new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = Ten.AddMinutes(30) }, null);

        var alert = Assert.Single((await admin.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts?all=true", WireJson.Options))!);
        Assert.Equal((AlertTypes.ClerkInactive, AlertStates.Resolved), (alert.Type, alert.State));
    }

    private static async Task PublishAsync(HubConnection recorder, long sequence, SiteEvent siteEvent, byte[]? snapshot)
    {
        var batch = new EventBatchSent([new EventRecorded(Guid.NewGuid(), sequence, DateTimeOffset.UtcNow, siteEvent, snapshot)]);
        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        Assert.Equal((1, 0), (ack.Stored, ack.Rejected.Count));
    }
}
