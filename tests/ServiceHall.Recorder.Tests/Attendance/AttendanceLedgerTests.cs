using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Shared.Contracts;
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
    public void InactiveStretch_IsBookedWhenItEnds_FromTheLastMovement_WithinOpeningHours()
    {
        using var db = Open();
        var ledger = new AttendanceLedger(db);

        // Motionless 11:50-12:10: the lunch break from 12:00 is not opening time (the tracker ends such a stretch at
        // closing; the ledger clips whatever it gets).
        ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [], [new Transition(TransitionKind.Inactive, Local(26, 12, 0), Local(26, 11, 50))]);
        Assert.Equal(0, ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!.InactiveSeconds);
        ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [], [new Transition(TransitionKind.Active, Local(26, 12, 10), Local(26, 11, 50), Ended: InactivityEnd.Moved)]);
        ledger.Apply("cam-1", "w01", Schedule, NoClosedDays, [], [new Transition(TransitionKind.Active, Local(26, 15, 0), Local(26, 14, 45), Ended: InactivityEnd.Left)]);

        var day = ledger.Find("cam-1", "w01", new DateOnly(2026, 11, 26))!;
        Assert.Equal(25 * 60, day.InactiveSeconds);
        Assert.Equal(25 * 60, day.ToEvent(Local(27, 0, 0)).InactiveSeconds);
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
    public void AbsenceAcrossMidnight_Shanghai_ClosesTheFirstDayWithItsPart_AndBooksTheRestIntoTheNextDay()
    {
        // Left Thursday 16:50, back Friday 09:30: 10 scheduled minutes on Thursday, 30 on Friday.
        using var db = Open();
        var ledger = new AttendanceLedger(db);
        var dayOne = new DateOnly(2026, 11, 26);
        var dayTwo = new DateOnly(2026, 11, 27);

        var closed = RunAbsence(ledger, Schedule, Local(26, 16, 0), Local(26, 16, 50), Local(27, 9, 30));

        var first = Assert.Single(closed);
        Assert.Equal("2026-11-26", first.Day);
        var firstPart = Assert.Single(first.Absences);
        Assert.Equal((Local(26, 16, 50).UtcDateTime, Local(27, 0, 0).UtcDateTime, 600.0), (firstPart.StartUtc, firstPart.EndUtc, firstPart.ScheduledSeconds));
        Assert.Null(first.OpenAbsenceSinceUtc);
        Assert.Equal(Local(26, 16, 50).UtcDateTime, first.LastDepartureUtc);
        Assert.Equal(50 * 60, first.StaffedSeconds);
        Assert.Equal(10 * 60, first.AwaySeconds + first.UnstaffedSeconds);

        // What was published stays true: Friday's return does not reopen Thursday.
        Assert.Single(ledger.Find("cam-1", "w01", dayOne)!.Absences);
        var second = ledger.Find("cam-1", "w01", dayTwo)!;
        var secondPart = Assert.Single(second.Absences);
        Assert.Equal((Local(27, 0, 0).UtcDateTime, Local(27, 9, 30).UtcDateTime, 1800.0), (secondPart.StartUtc, secondPart.EndUtc, secondPart.ScheduledSeconds));
        Assert.Equal(Local(27, 9, 30).UtcDateTime, second.FirstArrivalUtc);
        Assert.Null(second.OpenAbsenceSinceUtc);
        Assert.Equal(30 * 60, second.AwaySeconds + second.UnstaffedSeconds);
    }

    [Fact]
    public void AbsenceAcrossMidnight_DaylightSavingStartsAtMidnight_SplitsAtTheFirstInstantOfTheNextDay()
    {
        // Chile skips 00:00-01:00 on Sunday 2026-09-06 (UTC-4 to UTC-3): Sunday begins at 01:00 local, 04:00 UTC,
        // which is also where Saturday ends. A hall open every day, left Saturday 16:50, back Sunday 09:30.
        var chile = new ScheduleOptions { TimeZone = "America/Santiago", WorkDays = [.. Enum.GetValues<DayOfWeek>()] }.Build();
        DateTimeOffset At(int day, int h, int m) => new(2026, 9, day, h, m, 0, TimeSpan.FromHours(day == 5 ? -4 : -3));
        using var db = Open();
        var ledger = new AttendanceLedger(db);

        var closed = RunAbsence(ledger, chile, At(5, 16, 0), At(5, 16, 50), At(6, 9, 30));

        var first = Assert.Single(closed);
        Assert.Equal("2026-09-05", first.Day);
        var sundayStart = new DateTime(2026, 9, 6, 4, 0, 0, DateTimeKind.Utc);
        var firstPart = Assert.Single(first.Absences);
        Assert.Equal((At(5, 16, 50).UtcDateTime, sundayStart, 600.0), (firstPart.StartUtc, firstPart.EndUtc, firstPart.ScheduledSeconds));
        var secondPart = Assert.Single(ledger.Find("cam-1", "w01", new DateOnly(2026, 9, 6))!.Absences);
        Assert.Equal((sundayStart, At(6, 9, 30).UtcDateTime, 1800.0), (secondPart.StartUtc, secondPart.EndUtc, secondPart.ScheduledSeconds));
    }

    /// <summary>
    /// Feeds the ledger what the tracker says, in 7-minute spans (one of them crosses midnight): staffed from <paramref name="arrived"/>,
    /// empty from <paramref name="left"/> (Vacated 20 s later, Unstaffed after 5 minutes), back at <paramref name="back"/>.
    /// Returns every day the ledger closed.
    /// </summary>
    private static List<AttendanceDay> RunAbsence(AttendanceLedger ledger, HallSchedule schedule, DateTimeOffset arrived, DateTimeOffset left, DateTimeOffset back)
    {
        var closed = new List<AttendanceDay>();
        void Apply(StateSpan[] spans, params Transition[] transitions) =>
            closed.AddRange(ledger.Apply("cam-1", "w01", schedule, NoClosedDays, spans, transitions));

        Apply([], new Transition(TransitionKind.Staffed, arrived.AddSeconds(5), arrived));
        var step = TimeSpan.FromMinutes(7);
        for (var t = arrived; t < left; t += step)
        {
            Apply([new StateSpan(t, Min(t + step, left), WindowState.Staffed)]);
        }

        Apply([], new Transition(TransitionKind.Vacated, left.AddSeconds(20), left));
        for (var t = left; t < back; t += step)
        {
            var state = t - left < TimeSpan.FromMinutes(5) ? WindowState.Away : WindowState.Unstaffed;
            Apply([new StateSpan(t, Min(t + step, back), state)]);
        }

        Apply([new StateSpan(back, back.AddMinutes(1), WindowState.Staffed)], new Transition(TransitionKind.Restaffed, back.AddSeconds(5), back));
        return closed;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

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
