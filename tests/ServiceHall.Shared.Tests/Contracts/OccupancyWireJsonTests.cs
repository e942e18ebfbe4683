using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>Pins the JSON of the occupancy events and the attendance day, as SiteEvents with their discriminator.</summary>
public sealed class OccupancyWireJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);
    private static readonly DateTimeOffset Before = new(2026, 11, 26, 1, 1, 43, TimeSpan.Zero);

    private static string Json(SiteEvent value) => JsonSerializer.Serialize(value, WireJson.Options);

    [Fact]
    public void WindowStaffed_CarriesArrival() =>
        Assert.Equal(
            """{"type":"WindowStaffed","windowId":"w01","arrivedAt":"2026-11-26T01:01:43+00:00","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new WindowStaffed { OccurredAt = At, CameraId = "cam-1", WindowId = "w01", ArrivedAt = Before }));

    [Fact]
    public void WindowVacated_CarriesAwaySince() =>
        Assert.Equal(
            """{"type":"WindowVacated","windowId":"w01","awaySince":"2026-11-26T01:01:43+00:00","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new WindowVacated { OccurredAt = At, CameraId = "cam-1", WindowId = "w01", AwaySince = Before }));

    [Fact]
    public void WindowRestaffed_CarriesBothTimes() =>
        Assert.Equal(
            """{"type":"WindowRestaffed","windowId":"w01","awaySince":"2026-11-26T01:01:43+00:00","arrivedAt":"2026-11-26T01:02:03+00:00","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new WindowRestaffed { OccurredAt = At, CameraId = "cam-1", WindowId = "w01", AwaySince = Before, ArrivedAt = At }));

    [Fact]
    public void WindowUnstaffed_CarriesTheAbsenceMoments()
    {
        var unstaffed = new WindowUnstaffed { OccurredAt = At, CameraId = "cam-1", WindowId = "w01", AwaySince = Before.AddSeconds(1), LastSeenAt = Before, VacatedAt = Before.AddSeconds(10) };

        Assert.Equal(
            """{"type":"WindowUnstaffed","windowId":"w01","awaySince":"2026-11-26T01:01:44+00:00","lastSeenAt":"2026-11-26T01:01:43+00:00","vacatedAt":"2026-11-26T01:01:53+00:00","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(unstaffed));
        Assert.Equal(new AbsenceTimes(Before, Before.AddSeconds(10), At), AbsenceTimes.Of(JsonSerializer.Deserialize<SiteEvent>(Json(unstaffed), WireJson.Options)!));
    }

    [Fact]
    public void WindowStaffed_WithoutArrival_KeepsTheOlderShape() =>
        Assert.Equal(
            """{"type":"WindowStaffed","windowId":"w01","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new WindowStaffed { OccurredAt = At, CameraId = "cam-1", WindowId = "w01" }));

    [Fact]
    public void WindowVacated_FromAnOlderRecorderWithoutAwaySince_StillReads()
    {
        var parsed = JsonSerializer.Deserialize<SiteEvent>("""{"type":"WindowVacated","windowId":"w01","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""", WireJson.Options);

        var vacated = Assert.IsType<WindowVacated>(parsed);
        Assert.Null(vacated.AwaySince);
    }

    [Fact]
    public void AttendanceDayClosed_HasPinnedShape()
    {
        var day = new AttendanceDayClosed
        {
            OccurredAt = At,
            CameraId = "cam-1",
            WindowId = "w01",
            Day = "2026-11-26",
            ScheduledSeconds = 23400,
            StaffedSeconds = 20000,
            AwaySeconds = 1200,
            UnstaffedSeconds = 600,
            UnknownSeconds = 1600,
            FirstArrival = Before,
            LastDeparture = At,
            Absences = [new AbsenceEpisode(Before, At, 20)],
        };

        var json = Json(day);

        Assert.Equal(
            """{"type":"AttendanceDayClosed","windowId":"w01","day":"2026-11-26","scheduledSeconds":23400,"staffedSeconds":20000,"awaySeconds":1200,"unstaffedSeconds":600,"unknownSeconds":1600,"firstArrival":"2026-11-26T01:01:43+00:00","lastDeparture":"2026-11-26T01:02:03+00:00","absences":[{"start":"2026-11-26T01:01:43+00:00","end":"2026-11-26T01:02:03+00:00","scheduledSeconds":20}],"occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            json);
        Assert.Equal(day.Absences, Assert.IsType<AttendanceDayClosed>(JsonSerializer.Deserialize<SiteEvent>(json, WireJson.Options)).Absences);
    }

    [Fact]
    public void ClerkInactiveAndActive_HavePinnedShapes_AndRoundTrip()
    {
        var inactive = new ClerkInactive { OccurredAt = At, CameraId = "cam-1", WindowId = "w01", InactiveSince = Before };
        var active = new ClerkActive { OccurredAt = At, CameraId = "cam-1", WindowId = "w01", InactiveSince = Before, Reason = InactivityEnd.Left };

        Assert.Equal(
            """{"type":"ClerkInactive","windowId":"w01","inactiveSince":"2026-11-26T01:01:43+00:00","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(inactive));
        Assert.Equal(
            """{"type":"ClerkActive","windowId":"w01","inactiveSince":"2026-11-26T01:01:43+00:00","reason":"Left","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(active));
        Assert.Equal(inactive, JsonSerializer.Deserialize<SiteEvent>(Json(inactive), WireJson.Options));
        Assert.Equal(active, JsonSerializer.Deserialize<SiteEvent>(Json(active), WireJson.Options));
    }

    [Fact]
    public void AttendanceDayClosed_CarriesInactiveSeconds_AndReadsWithoutThem()
    {
        var day = new AttendanceDayClosed
        {
            OccurredAt = At, CameraId = "cam-1", WindowId = "w01", Day = "2026-11-26", ScheduledSeconds = 100, StaffedSeconds = 100,
            AwaySeconds = 0, UnstaffedSeconds = 0, UnknownSeconds = 0, InactiveSeconds = 60, Absences = [],
        };

        Assert.Contains("\"unknownSeconds\":0,\"inactiveSeconds\":60,", Json(day), StringComparison.Ordinal);
        var older = JsonSerializer.Deserialize<SiteEvent>(Json(day with { InactiveSeconds = null }), WireJson.Options);
        Assert.DoesNotContain("inactiveSeconds", Json(day with { InactiveSeconds = null }), StringComparison.Ordinal);
        Assert.Null(Assert.IsType<AttendanceDayClosed>(older).InactiveSeconds);
    }
}
