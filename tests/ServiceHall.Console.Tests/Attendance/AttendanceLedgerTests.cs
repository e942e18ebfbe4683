using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Attendance;

/// <summary>The Console's attendance comes from the days the Recorders closed (schedule-aware); other days are provisional.</summary>
public sealed class AttendanceLedgerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // Two days ago in the hall's zone, and that day's 08:00 local (00:00 UTC).
    private static readonly DateOnly Day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).Date).AddDays(-2);
    private static readonly DateTimeOffset Morning = new(Day.ToDateTime(new TimeOnly(0, 0)), TimeSpan.Zero);

    private static readonly AttendanceDayClosed Closed = new()
    {
        CameraId = "cam-1",
        WindowId = "w01",
        OccurredAt = Morning.AddHours(16),
        Day = Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ScheduledSeconds = 23_400,
        StaffedSeconds = 20_000,
        AwaySeconds = 1_200,
        UnstaffedSeconds = 600,
        UnknownSeconds = 1_600,
        FirstArrival = Morning.AddHours(1),
        LastDeparture = Morning.AddHours(9),
        Absences = [new AbsenceEpisode(Morning.AddHours(3), Morning.AddHours(3).AddMinutes(15), 900)],
    };

    [Fact]
    public async Task Report_UsesTheRecordersClosedDay_AndMarksADayRebuiltFromEventsProvisional()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = server.RecorderConnection("hall-a", server.AddSite("hall-a"));
        await recorder.StartAsync();
        using var admin = await server.SignedInClientAsync();

        await PublishAsync(recorder,
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = Morning.AddHours(1) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = Morning.AddHours(1) },
            Closed);
        var report = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/attendance/report?scope=site&id=hall-a&period=day&date={Closed.Day}");
        var day = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/attendance?site=hall-a&day={Closed.Day}");

        var rows = report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("windowId").GetString()!);
        var w01 = rows["w01"];
        Assert.Equal(20_000.0 / 21_800, w01.GetProperty("staffedRate").GetDouble(), 6);
        Assert.Equal((390.0, 1, 10.0, 0), (w01.GetProperty("scheduledMinutes").GetDouble(), w01.GetProperty("absences").GetInt32(), w01.GetProperty("absenceMinutes").GetDouble(), w01.GetProperty("provisionalDays").GetInt32()));
        // w02 has no closed day: rebuilt from its events (staffed from 09:00 local to midnight), provisional, no schedule.
        Assert.Equal((1, 0.0, 1.0), (rows["w02"].GetProperty("provisionalDays").GetInt32(), rows["w02"].GetProperty("scheduledMinutes").GetDouble(), rows["w02"].GetProperty("staffedRate").GetDouble()));
        var windows = day.GetProperty("windows").EnumerateArray().ToDictionary(w => w.GetProperty("windowId").GetString()!);
        Assert.Equal((23_400.0, false), (windows["w01"].GetProperty("scheduledSeconds").GetDouble(), windows["w01"].GetProperty("provisional").GetBoolean()));
        Assert.Equal((JsonValueKind.Null, true), (windows["w02"].GetProperty("scheduledSeconds").ValueKind, windows["w02"].GetProperty("provisional").GetBoolean()));
    }

    [Fact]
    public async Task ClosedDaySentAgain_ReplacesTheEarlierCopy_AndALostLedgerIsRebuiltFromTheEvents()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = server.RecorderConnection("hall-a", server.AddSite("hall-a"));
        await recorder.StartAsync();
        await PublishAsync(recorder, Closed, Closed with { StaffedSeconds = 21_000, UnstaffedSeconds = 0 });
        var ledger = server.App.Services.GetRequiredService<AttendanceLedger>();
        Assert.Equal(21_000, Assert.Single(ledger.ForDay("hall-a", Day)).StaffedSeconds);

        var database = server.App.Services.GetRequiredService<ConsoleDatabase>();
        database.Database.DropCollection("attendance_days");
        var rebuilt = new AttendanceLedger(new LiteDbLedgerStore(database), server.App.Services.GetRequiredService<IEventStore>());

        var again = Assert.Single(rebuilt.ForDay("hall-a", Day));
        Assert.Equal(("w01", 23_400.0, 21_000.0, 1), (again.WindowId, again.ScheduledSeconds, again.StaffedSeconds, again.Absences));
        Assert.Empty(rebuilt.ForDay("hall-a", Day.AddDays(1)));
    }

    [Fact]
    public async Task DayNotClosedYet_CountsOnlyTheOpeningHoursTheRecorderReported()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = server.RecorderConnection("hall-a", server.AddSite("hall-a"));
        await recorder.StartAsync();
        using var admin = await server.SignedInClientAsync();
        // The clerk left at 18:00 the day before and came back at 09:00 (local): a perfect day in opening hours.
        await PublishAsync(recorder,
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = Morning.AddHours(-14) },
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = Morning.AddHours(1) });
        var url = $"/api/attendance/report?scope=site&id=hall-a&period=day&date={Closed.Day}";

        // Before the Recorder reports its hours the Console counts the whole day: nine hours "away" before 09:00.
        var wholeDay = (await admin.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("rows")[0];
        Assert.Equal(15.0 / 24, wholeDay.GetProperty("staffedRate").GetDouble(), 6);

        var everyDay = Enum.GetValues<DayOfWeek>();
        await recorder.InvokeAsync(nameof(IRecorderHub.ReportWindows), new WindowsReported(
            [new WindowConfigured("cam-1", "w01", "一号窗口", ["社保"], [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8]], 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5), [])],
            new HallHours("Asia/Shanghai", ["09:00-12:00", "13:30-17:00"], everyDay, [], [])));
        var opening = (await admin.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("rows")[0];

        Assert.Equal((1.0, 390.0, 390.0, 1), (opening.GetProperty("staffedRate").GetDouble(), opening.GetProperty("scheduledMinutes").GetDouble(), opening.GetProperty("staffedMinutes").GetDouble(), opening.GetProperty("provisionalDays").GetInt32()));
    }

    private static long _sequence;

    private static async Task PublishAsync(HubConnection recorder, params SiteEvent[] events)
    {
        var batch = new EventBatchSent([.. events.Select(e => new EventRecorded(Guid.NewGuid(), Interlocked.Increment(ref _sequence), DateTimeOffset.UtcNow, e, null))]);
        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        Assert.Equal((events.Length, 0), (ack.Stored, ack.Rejected.Count));
    }
}
