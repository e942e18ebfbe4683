using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Attendance;

/// <summary>
/// One absence shows the same three moments (last seen, away confirmed, unstaffed) everywhere a supervisor reads it:
/// the alert (with the snapshot as proof), the window board, the events and the attendance drill-down, on a real Console.
/// </summary>
public sealed class AbsenceTimelineTests
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xD9];
    private static readonly List<double[]> Seat = [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8]];

    [Fact]
    public async Task OneAbsence_SameMomentsInAlertBoardEventsAndEpisodes()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        // Ten minutes ago, inside any day's episode query of today in the hall's zone unless the test runs just after midnight.
        var lastSeen = DateTimeOffset.UtcNow.AddMinutes(-10);
        var expected = new AbsenceTimes(lastSeen, lastSeen.AddSeconds(21), lastSeen.AddSeconds(301));
        SiteEvent[] events =
        [
            new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = lastSeen.AddMinutes(-30) },
            new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = expected.VacatedAt!.Value, AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen },
            new WindowUnstaffed
            {
                CameraId = "cam-1", WindowId = "w01", OccurredAt = expected.UnstaffedAt!.Value, AwaySince = lastSeen.AddSeconds(1), LastSeenAt = lastSeen, VacatedAt = expected.VacatedAt,
            },
        ];
        await using (var recorder = server.RecorderConnection("hall-a", key))
        {
            await recorder.StartAsync();
            await recorder.InvokeAsync(nameof(IRecorderHub.ReportWindows), new WindowsReported(
                [new WindowConfigured("cam-1", "w01", "w01", [], Seat, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5))]));
            var sequence = 0;
            var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(
                nameof(IRecorderHub.PublishEvents), new EventBatchSent([.. events.Select(e => new EventRecorded(Guid.NewGuid(), ++sequence, DateTimeOffset.UtcNow, e, e is WindowUnstaffed ? Jpeg : null))]));
            Assert.Equal(events.Length, ack.Stored);
        }

        using var admin = await server.SignedInClientAsync();
        var alert = Assert.Single((await admin.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts", WireJson.Options))!);
        Assert.Equal(expected, alert.Absence);
        Assert.Equal(lastSeen, alert.OpenedAt);
        // With the snapshot the Unstaffed event carried, as the proof.
        Assert.Equal(3L, alert.SnapshotSequence);
        Assert.Equal(Jpeg, await admin.Http.GetByteArrayAsync($"/api/events/hall-a/{alert.SnapshotSequence}/snapshot.jpg"));

        var window = Assert.Single((await admin.Http.GetFromJsonAsync<List<WindowStateChanged>>("/api/sites/hall-a/windows", WireJson.Options))!);
        Assert.Equal((WindowState.Unstaffed, lastSeen, expected), (window.State, window.Since, window.Absence));

        var stored = await admin.Http.GetFromJsonAsync<List<EventEndpoints.EventView>>(
            $"/api/events?site=hall-a&from={Uri.EscapeDataString(lastSeen.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}", WireJson.Options);
        var unstaffed = stored!.Single(e => e.Type == nameof(WindowUnstaffed)).Event.Deserialize<SiteEvent>(WireJson.Options)!;
        Assert.Equal(expected, AbsenceTimes.Of(unstaffed));

        var day = DateOnly.FromDateTime(expected.UnstaffedAt.Value.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var list = await admin.Http.GetFromJsonAsync<AttendanceEndpoints.EpisodeList>($"/api/attendance/episodes?site=hall-a&window=w01&period=day&date={day:yyyy-MM-dd}", WireJson.Options);
        var episode = Assert.Single(list!.Episodes);
        Assert.Equal(expected, new AbsenceTimes(episode.LastSeenAt, episode.VacatedAt, episode.UnstaffedAt));
    }
}
