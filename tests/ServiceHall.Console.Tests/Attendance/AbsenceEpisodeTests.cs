using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Attendance;

/// <summary>The drill-down from an attendance figure to its absence episodes, and the department scope, on real Kestrel.</summary>
public sealed class AbsenceEpisodeTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xD9];
    private static readonly List<double[]> Seat = [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8]];

    // Yesterday in Shanghai, so the whole day is over whenever the test runs.
    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date).AddDays(-1);
    private static readonly DateTimeOffset Midnight = new(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    private static WindowConfigured Window(string id, params string[] departments) =>
        new("cam-1", id, id, departments, Seat, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5));

    /// <summary>A Recorder that reports its windows, then delivers events, each with a snapshot.</summary>
    private static async Task RecorderAsync(ConsoleServer server, string siteId, string key, WindowConfigured[] windows, params SiteEvent[] events)
    {
        await using var recorder = server.RecorderConnection(siteId, key);
        await recorder.StartAsync();
        await recorder.InvokeAsync(nameof(IRecorderHub.ReportWindows), new WindowsReported(windows));
        var sequence = 0;
        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents),
            new EventBatchSent([.. events.Select(e => new EventRecorded(Guid.NewGuid(), ++sequence, DateTimeOffset.UtcNow, e, Jpeg))]));
        Assert.Equal(events.Length, ack.Stored);
    }

    private static DateTimeOffset At(double hours) => Midnight.AddHours(hours);

    private static SiteEvent[] TwoAbsencesOfW01() =>
    [
        new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(9) },
        new WindowStaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = At(9) },
        new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(10), AwaySince = At(10) },
        new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(10.1), AwaySince = At(10) },
        new WindowRestaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(10.6), AwaySince = At(10) },
        new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(23), AwaySince = At(23) },
        new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(23.5), AwaySince = At(23) },
    ];

    [Fact]
    public async Task Episodes_ListEachAbsenceWithItsTimesAndSnapshots_AndAddUpToTheReportsMinutes()
    {
        await using var server = await ConsoleServer.StartAsync();
        await RecorderAsync(server, "hall-a", server.AddSite("hall-a", "甲", "d1"), [Window("w01", "社保"), Window("w02", "医保")], TwoAbsencesOfW01());
        using var admin = await server.SignedInClientAsync();

        var list = await admin.Http.GetFromJsonAsync<AttendanceEndpoints.EpisodeList>($"/api/attendance/episodes?site=hall-a&window=w01&period=day&date={Day:yyyy-MM-dd}", WireJson.Options);
        var report = await admin.Http.GetFromJsonAsync<AttendanceReport.Report>($"/api/attendance/report?scope=site&id=hall-a&period=day&date={Day:yyyy-MM-dd}", WireJson.Options);

        Assert.Equal(2, list!.Episodes.Count);
        var first = list.Episodes[0];
        // These events come without the moments (as from an older Recorder): the Vacated before the absence says when the seat was confirmed empty.
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)At(10), At(10.1), (DateTimeOffset?)At(10.6), "WindowRestaffed"), (first.LastSeenAt, first.VacatedAt, first.UnstaffedAt, first.EndedAt, first.EndedBy));
        Assert.Equal(30, first.UnstaffedMinutes, 3);
        Assert.Equal(["WindowVacated", "WindowUnstaffed", "WindowRestaffed"], first.Snapshots.Select(s => s.Type));
        Assert.Equal([3L, 4, 5], first.Snapshots.Select(s => s.Sequence));
        // Still absent at midnight: open, counted up to the end of the day.
        var second = list.Episodes[1];
        Assert.Null(second.EndedAt);
        Assert.Equal(30, second.UnstaffedMinutes, 3);
        Assert.Equal(["WindowVacated", "WindowUnstaffed"], second.Snapshots.Select(s => s.Type));

        var row = report!.Rows.Single(r => r.WindowId == "w01");
        Assert.Equal(2, row.Absences);
        Assert.Equal(row.AbsenceMinutes, list.Episodes.Sum(e => e.UnstaffedMinutes), 3);
        var jpeg = await admin.Http.GetByteArrayAsync($"/api/events/hall-a/{first.Snapshots[0].Sequence}/snapshot.jpg");
        Assert.Equal(Jpeg, jpeg);
    }

    [Fact]
    public async Task Episodes_OfAHiddenSiteOrABadPeriod_AreRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        await RecorderAsync(server, "hall-b", server.AddSite("hall-b", "乙", "d2"), [Window("w01", "社保")], TwoAbsencesOfW01());
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");

        var hidden = await supervisor.Http.GetAsync($"/api/attendance/episodes?site=hall-b&window=w01&period=day&date={Day:yyyy-MM-dd}");
        var badPeriod = await supervisor.Http.GetAsync($"/api/attendance/episodes?site=hall-b&window=w01&period=year&date={Day:yyyy-MM-dd}");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
    }

    [Fact]
    public async Task DepartmentScope_CoversTheWindowsServingIt_AcrossSitesTheUserMaySee()
    {
        await using var server = await ConsoleServer.StartAsync();
        await RecorderAsync(server, "hall-a", server.AddSite("hall-a", "甲", "d1"), [Window("w01", "社保"), Window("w02", "医保", "社保")], TwoAbsencesOfW01());
        await RecorderAsync(server, "hall-b", server.AddSite("hall-b", "乙", "d1"), [Window("w01", "医保")], new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(9) });
        await RecorderAsync(server, "hall-c", server.AddSite("hall-c", "丙", "d2"), [Window("w01", "税务")], new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At(9) });
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");

        var departments = await supervisor.Http.GetFromJsonAsync<List<string>>("/api/attendance/departments");
        var report = await supervisor.Http.GetFromJsonAsync<AttendanceReport.Report>($"/api/attendance/report?scope=department&id={Uri.EscapeDataString("医保")}&period=day&date={Day:yyyy-MM-dd}", WireJson.Options);
        var hidden = await supervisor.Http.GetAsync($"/api/attendance/report?scope=department&id={Uri.EscapeDataString("税务")}&period=day&date={Day:yyyy-MM-dd}");

        Assert.Equal(["医保", "社保"], departments);
        Assert.Equal(["hall-a/w02", "hall-b/w01"], report!.Rows.Select(r => $"{r.SiteId}/{r.WindowId}").Order(StringComparer.Ordinal));
        Assert.Equal([1, 2], report.Rows.Select(r => r.Rank));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
