using ServiceHall.Shared.Attendance;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Shared.Tests.Attendance;

public sealed class StateWalkTests
{
    // Thursday 2026-11-26 in Shanghai (UTC+8), default hours 09:00-12:00 and 13:30-17:00.
    private static readonly HallSchedule Schedule = new ScheduleOptions().Build();
    private static readonly DateTimeOffset DayStart = At(0, 0);
    private static readonly DateTimeOffset DayEnd = DayStart.AddDays(1);

    private static DateTimeOffset At(int h, int m) => new(2026, 11, 26, h, m, 0, TimeSpan.FromHours(8));

    private static StateChange Change(int h, int m, WindowState? state) => new(At(h, m), state);

    [Fact]
    public void WholeSpan_EachStateLastsUntilTheNextChange_AndTheTimeBeforeTheFirstIsTheInitialState()
    {
        var walk = StateWalk.Walk(
            [Change(9, 0, WindowState.Staffed), Change(10, 0, WindowState.Away), Change(10, 5, WindowState.Unstaffed), Change(11, 0, WindowState.Staffed)],
            WindowState.Unknown, DayStart, DayEnd, StateWalk.WholeSpan, StateWalk.Unstaffed);

        Assert.Equal(TimeSpan.FromHours(9), walk.In(WindowState.Unknown));
        Assert.Equal(TimeSpan.FromHours(1 + 13), walk.In(WindowState.Staffed));
        Assert.Equal(TimeSpan.FromMinutes(5), walk.In(WindowState.Away));
        Assert.Equal(TimeSpan.FromMinutes(55), walk.In(WindowState.Unstaffed));
        Assert.Equal(TimeSpan.FromDays(1), walk.Time.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b));
    }

    [Fact]
    public void OpeningHours_CountOnlyScheduledTime_LunchAndClosedDaysExcluded()
    {
        StateChange[] changes = [Change(8, 0, WindowState.Staffed), Change(11, 0, WindowState.Unstaffed), Change(14, 0, WindowState.Staffed)];

        var open = StateWalk.Walk(changes, WindowState.Unknown, DayStart, DayEnd, StateWalk.OpeningHours(Schedule, null), StateWalk.Unstaffed);
        var closed = StateWalk.Walk(changes, WindowState.Unknown, DayStart, DayEnd, StateWalk.OpeningHours(Schedule, new HashSet<DateOnly> { new(2026, 11, 26) }), StateWalk.Unstaffed);

        Assert.Equal(TimeSpan.Zero, open.In(WindowState.Unknown));
        Assert.Equal(TimeSpan.FromHours(2 + 3), open.In(WindowState.Staffed));
        var absence = Assert.Single(open.Absences);
        Assert.Equal((1, 2, At(11, 0), At(14, 0)), (absence.Began, absence.Ended!.Value, absence.From, absence.To));
        Assert.Equal(TimeSpan.FromMinutes(60 + 30), absence.Counted);
        Assert.Equal(absence.Counted, open.In(WindowState.Unstaffed));
        Assert.DoesNotContain(closed.Time.Values, t => t > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, Assert.Single(closed.Absences).Counted);
    }

    [Fact]
    public void NullState_IsNotCounted_SoGapsBetweenSpansStayUncounted()
    {
        var walk = StateWalk.Walk(
            [Change(9, 0, WindowState.Staffed), Change(10, 0, null), Change(11, 0, WindowState.Staffed), Change(11, 30, null)],
            null, DayStart, DayEnd, StateWalk.WholeSpan, StateWalk.SeatEmpty);

        Assert.Equal(TimeSpan.FromMinutes(90), walk.In(WindowState.Staffed));
        Assert.Equal(new[] { WindowState.Staffed }, walk.Time.Keys);
    }

    [Fact]
    public void ChangesBeforeTheRange_TakeEffectAtItsStart_AndAnAbsenceFromBeforeIsClippedToIt()
    {
        var walk = StateWalk.Walk(
            [new(At(22, 0).AddDays(-1), WindowState.Unstaffed), Change(9, 30, WindowState.Staffed)],
            WindowState.Unknown, DayStart, DayEnd, StateWalk.WholeSpan, StateWalk.Unstaffed);

        Assert.Equal(TimeSpan.FromMinutes((9 * 60) + 30), walk.In(WindowState.Unstaffed));
        Assert.Equal(TimeSpan.Zero, walk.In(WindowState.Unknown));
        var absence = Assert.Single(walk.Absences);
        Assert.Equal((0, 1, DayStart, At(9, 30)), (absence.Began, absence.Ended!.Value, absence.From, absence.To));
    }

    [Fact]
    public void AbsenceStillGoingOnAtTheEnd_IsOpen_AndCountedUpToTheEnd()
    {
        var walk = StateWalk.Walk(
            [Change(16, 0, WindowState.Unstaffed), Change(16, 30, WindowState.Unstaffed)],
            WindowState.Unknown, DayStart, At(17, 0), StateWalk.WholeSpan, StateWalk.Unstaffed);

        var absence = Assert.Single(walk.Absences);
        Assert.Null(absence.Ended);
        Assert.Equal((0, At(16, 0), At(17, 0), TimeSpan.FromHours(1)), (absence.Began, absence.From, absence.To, absence.Counted));
    }

    [Fact]
    public void WhatMakesAnAbsence_IsTheCallers_AwayThenUnstaffedIsOneSeatEmptyRun()
    {
        StateChange[] changes = [Change(9, 0, WindowState.Staffed), Change(10, 0, WindowState.Away), Change(10, 5, WindowState.Unstaffed), Change(10, 30, WindowState.Staffed)];

        var empty = Assert.Single(StateWalk.Walk(changes, null, DayStart, DayEnd, StateWalk.WholeSpan, StateWalk.SeatEmpty).Absences);
        var unstaffed = Assert.Single(StateWalk.Walk(changes, null, DayStart, DayEnd, StateWalk.WholeSpan, StateWalk.Unstaffed).Absences);

        Assert.Equal((1, 3, TimeSpan.FromMinutes(30)), (empty.Began, empty.Ended!.Value, empty.Counted));
        Assert.Equal((2, 3, TimeSpan.FromMinutes(25)), (unstaffed.Began, unstaffed.Ended!.Value, unstaffed.Counted));
    }

    [Fact]
    public void UnknownEndsAnAbsence_AndItsTimeIsNeverAbsence()
    {
        var walk = StateWalk.Walk(
            [Change(10, 0, WindowState.Unstaffed), Change(10, 10, WindowState.Unknown), Change(11, 0, WindowState.Unstaffed)],
            WindowState.Unknown, At(9, 0), At(12, 0), StateWalk.WholeSpan, StateWalk.Unstaffed);

        Assert.Equal(new (int, int?)[] { (0, 1), (2, null) }, walk.Absences.Select(a => (a.Began, a.Ended)));
        Assert.Equal(TimeSpan.FromMinutes(10 + 60), walk.In(WindowState.Unstaffed));
        Assert.Equal(TimeSpan.FromMinutes(60 + 50), walk.In(WindowState.Unknown));
    }

    [Fact]
    public void AChangeStampedEarlierThanTheOneBefore_TakesEffectAtThatOnesInstant()
    {
        var walk = StateWalk.Walk(
            [Change(11, 0, WindowState.Staffed), Change(10, 0, WindowState.Unstaffed), Change(11, 30, WindowState.Staffed)],
            WindowState.Unknown, At(9, 0), At(12, 0), StateWalk.WholeSpan, StateWalk.Unstaffed);

        Assert.Equal(TimeSpan.FromHours(2), walk.In(WindowState.Unknown));
        Assert.Equal(TimeSpan.FromMinutes(30), walk.In(WindowState.Unstaffed));
        Assert.Equal(TimeSpan.FromMinutes(30), walk.In(WindowState.Staffed));
        Assert.Equal((At(11, 0), At(11, 30)), (walk.Absences[0].From, walk.Absences[0].To));
    }

    [Fact]
    public void ChangesAfterTheRange_AreNotCounted_AndAnAbsenceEntirelyOutsideHasAnEmptyPart()
    {
        var walk = StateWalk.Walk(
            [Change(9, 0, WindowState.Staffed), Change(13, 0, WindowState.Unstaffed), Change(14, 0, WindowState.Staffed)],
            WindowState.Unknown, At(9, 0), At(12, 0), StateWalk.WholeSpan, StateWalk.Unstaffed);

        Assert.Equal(TimeSpan.FromHours(3), walk.In(WindowState.Staffed));
        Assert.Equal(TimeSpan.Zero, walk.In(WindowState.Unstaffed));
        var outside = Assert.Single(walk.Absences);
        Assert.Equal((At(12, 0), At(12, 0), TimeSpan.Zero), (outside.From, outside.To, outside.Counted));
    }

    [Fact]
    public void RangeEndingBeforeItStarts_CountsNothing()
    {
        var walk = StateWalk.Walk([Change(10, 0, WindowState.Staffed)], WindowState.Unknown, At(12, 0), At(9, 0), StateWalk.WholeSpan, StateWalk.Unstaffed);

        Assert.Empty(walk.Time);
        Assert.Empty(walk.Absences);
    }

    [Fact]
    public void AnAbsentStateBeforeTheFirstChange_IsRefused() =>
        Assert.Throws<ArgumentException>(() => StateWalk.Walk([], WindowState.Unstaffed, DayStart, DayEnd, StateWalk.WholeSpan, StateWalk.Unstaffed));
}
