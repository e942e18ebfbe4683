using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Shared.Scheduling;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Attendance;

public sealed class AttendanceLedgerTests : IDisposable
{
    // Thursday 2026-11-26 in Shanghai (UTC+8), default hours 09:00-12:00 and 13:30-17:00.
    private static readonly HallSchedule Schedule = new ScheduleOptions().Build();
    private static readonly HashSet<DateOnly> NoClosedDays = [];
    private readonly TempDirectory _dir = new();

    private static DateTimeOffset Local(int day, int h, int m, int s = 0) => new(2026, 11, day, h, m, s, TimeSpan.FromHours(8));

    private RecorderDatabase Open() => new(Options.Create(new SiteOptions { DataDirectory = _dir.Path }));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Spans_AreClippedToOpeningHours_AndCountedByState()
    {
        using var db = Open();
        var ledger = new AttendanceLedger(db);

        ledger.Apply("cam-1", "w01", Schedule, NoClosedDays,
            [
                new StateSpan(Local(26, 8, 0), Local(26, 11, 0), WindowState.Staffed),     // 2 h count (from 09:00)
                new StateSpan(Local(26, 11, 0), Local(26, 11, 5), WindowState.Away),
                new StateSpan(Local(26, 11, 5), Local(26, 14, 0), WindowState.Unstaffed), // 55 min + 30 min, lunch excluded
                new StateSpan(Local(26, 14, 0), Local(26, 15, 0), WindowState.Unknown),
            ],
            []);

        var day = ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!;
        Assert.Equal(6.5 * 3600, day.ScheduledSeconds);
        Assert.Equal(2 * 3600, day.StaffedSeconds);
        Assert.Equal(5 * 60, day.AwaySeconds);
        Assert.Equal(85 * 60, day.UnstaffedSeconds);
        Assert.Equal(3600, day.UnknownSeconds);
    }

    [Fact]
    public void Transitions_RecordArrivalDepartureAndAbsenceEpisodes_AndSurviveReopening()
    {
        using (var db = Open())
        {
            var ledger = new AttendanceLedger(db);
            ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [], [new Transition(TransitionKind.Staffed, Local(26, 9, 2), Local(26, 9, 1))]);
            ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [], [new Transition(TransitionKind.Vacated, Local(26, 10, 0), Local(26, 9, 59, 40))]);
        }

        using (var db = Open())
        {
            var ledger = new AttendanceLedger(db);
            ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [], [new Transition(TransitionKind.Restaffed, Local(26, 10, 30), Local(26, 10, 29))]);
            var day = ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!;

            Assert.Equal(Local(26, 9, 1).UtcDateTime, day.FirstArrivalUtc);
            Assert.Equal(Local(26, 9, 59, 40).UtcDateTime, day.LastDepartureUtc);
            var absence = Assert.Single(day.Absences);
            Assert.Equal(Local(26, 9, 59, 40).UtcDateTime, absence.StartUtc);
            Assert.Equal(Local(26, 10, 29).UtcDateTime, absence.EndUtc);
            Assert.Equal((29 * 60) + 20, absence.ScheduledSeconds);
            Assert.Null(day.OpenAbsenceSinceUtc);
        }
    }

    [Fact]
    public void NextDay_ClosesThePreviousDay_UncoveredScheduledTimeIsUnknownNotAbsence()
    {
        using var db = Open();
        var ledger = new AttendanceLedger(db);
        ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [new StateSpan(Local(26, 9, 0), Local(26, 12, 0), WindowState.Staffed)], []);

        // The Recorder was down all afternoon; the next frame comes on Friday.
        var closed = ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [new StateSpan(Local(27, 9, 0), Local(27, 9, 1), WindowState.Staffed)], []);

        var day = Assert.Single(closed);
        Assert.Equal("2026-11-26", day.Day);
        Assert.True(day.Closed);
        Assert.Equal(3.5 * 3600, day.UnknownSeconds);
        Assert.Equal(0, day.AwaySeconds + day.UnstaffedSeconds);
        var wire = day.ToEvent(Local(27, 9, 1));
        Assert.Equal("w01", wire.WindowId);
        Assert.Equal(3 * 3600, wire.StaffedSeconds);
        Assert.Empty(ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [new StateSpan(Local(27, 9, 1), Local(27, 9, 2), WindowState.Staffed)], []));
    }

    [Fact]
    public void WindowClosedDay_SchedulesNothing()
    {
        using var db = Open();
        var ledger = new AttendanceLedger(db);
        ledger.Apply("cam-1", "w01", Schedule, new HashSet<DateOnly> { new(2026, 11, 26) }, [new StateSpan(Local(26, 9, 0), Local(26, 17, 0), WindowState.Away)], []);

        var day = ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!;
        Assert.Equal(0, day.ScheduledSeconds);
        Assert.Equal(0, day.AwaySeconds);
    }
}
