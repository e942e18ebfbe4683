using ServiceHall.Recorder.Occupancy;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Tests.Occupancy;

public sealed class WindowTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);
    private static readonly TrackerTimings Defaults = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));

    private sealed class Run(Func<DateTimeOffset, bool>? open = null)
    {
        public WindowTracker Tracker { get; } = new(Defaults, open ?? (_ => true));

        public List<Transition> Transitions { get; } = [];

        public List<StateSpan> Spans { get; } = [];

        public int Second { get; private set; }

        /// <summary>Feeds one frame a second for <paramref name="seconds"/> seconds.</summary>
        public Run Feed(bool present, int seconds)
        {
            for (var i = 0; i < seconds; i++)
            {
                Tracker.Observe(T0.AddSeconds(Second++), present, Transitions, Spans);
            }

            return this;
        }

        public Run Skip(int seconds)
        {
            Second += seconds;
            return this;
        }

        public double Seconds(WindowState state) => Spans.Where(s => s.State == state).Sum(s => (s.To - s.From).TotalSeconds);
    }

    [Fact]
    public void Tracker_PersonPresentForEntryDebounce_RaisesStaffedWithArrivalTime()
    {
        var run = new Run().Feed(present: true, 4);
        Assert.Empty(run.Transitions);

        run.Feed(present: true, 3);

        var staffed = Assert.Single(run.Transitions);
        Assert.Equal(TransitionKind.Staffed, staffed.Kind);
        Assert.Equal(T0, staffed.Since);
        Assert.Equal(T0.AddSeconds(5), staffed.At);
    }

    [Fact]
    public void Tracker_ClerkBendsDownForEightSeconds_NoVacated()
    {
        var run = new Run().Feed(true, 60).Feed(false, 8).Feed(true, 60);

        Assert.Equal([TransitionKind.Staffed], run.Transitions.Select(t => t.Kind));
        Assert.Equal(0, run.Seconds(WindowState.Away));
    }

    [Fact]
    public void Tracker_PersonLeavesLongerThanExitDebounce_VacatedFromFirstEmptyFrame()
    {
        var run = new Run().Feed(true, 60).Feed(false, 30);

        var vacated = run.Transitions[^1];
        Assert.Equal(TransitionKind.Vacated, vacated.Kind);
        Assert.Equal(T0.AddSeconds(60), vacated.Since);
        Assert.Equal(T0.AddSeconds(80), vacated.At);
        Assert.Equal(WindowState.Away, run.Tracker.State);
        // The debounce time counts as away, not staffed.
        Assert.Equal(60, run.Seconds(WindowState.Staffed));
        Assert.Equal(29, run.Seconds(WindowState.Away));
    }

    [Fact]
    public void Tracker_PersonLeavesLongerThanThreshold_RaisesUnstaffedThenRestaffed()
    {
        var run = new Run().Feed(true, 60).Feed(false, 400).Feed(true, 10);

        Assert.Equal(
            [TransitionKind.Staffed, TransitionKind.Vacated, TransitionKind.Unstaffed, TransitionKind.Restaffed],
            run.Transitions.Select(t => t.Kind));
        var unstaffed = run.Transitions[2];
        Assert.Equal(T0.AddSeconds(360), unstaffed.At);
        Assert.Equal(T0.AddSeconds(60), unstaffed.Since);
        Assert.Equal(T0.AddSeconds(460), run.Transitions[3].Since);
        Assert.Equal(300, run.Seconds(WindowState.Away));
        Assert.Equal(100, run.Seconds(WindowState.Unstaffed));
    }

    [Fact]
    public void Tracker_OneAbsence_CarriesTheSameThreeMomentsFromVacatedToRestaffed()
    {
        // Seen until 59 s, a walk-past at 100 s that never passes the entry debounce, back at 460 s.
        var run = new Run().Feed(true, 60).Feed(false, 40).Feed(true, 2).Feed(false, 358).Feed(true, 10);

        var expected = new AbsenceTimes(LastSeenAt: T0.AddSeconds(59), VacatedAt: T0.AddSeconds(80), UnstaffedAt: T0.AddSeconds(360));
        var vacated = run.Transitions.Single(t => t.Kind == TransitionKind.Vacated);
        var unstaffed = run.Transitions.Single(t => t.Kind == TransitionKind.Unstaffed);
        var restaffed = run.Transitions.Single(t => t.Kind == TransitionKind.Restaffed);
        Assert.Equal(expected with { UnstaffedAt = null }, vacated.Absence);
        Assert.Equal(expected, unstaffed.Absence);
        Assert.Equal(expected, restaffed.Absence);
        Assert.Equal(
            [vacated.At, unstaffed.At],
            [.. new[] { vacated, unstaffed }.Select(t => OccupancyService.ToEvent("cam-1", "w01", t, run.Tracker).OccurredAt)]);
        var wire = (WindowRestaffed)OccupancyService.ToEvent("cam-1", "w01", restaffed, run.Tracker);
        Assert.Equal(expected, AbsenceTimes.Of(wire));
    }

    [Fact]
    public void Tracker_SeatEmptyFromTheStart_AbsenceHasNoLastSeen()
    {
        var run = new Run().Feed(false, 400);

        var unstaffed = run.Transitions.Single(t => t.Kind == TransitionKind.Unstaffed);
        Assert.Null(unstaffed.Absence!.LastSeenAt);
        Assert.Equal(T0.AddSeconds(20), unstaffed.Absence.VacatedAt);
    }

    [Fact]
    public void Tracker_AwayWhileScheduleClosed_NeverUnstaffed()
    {
        var run = new Run(open: _ => false).Feed(true, 10).Feed(false, 1000);

        Assert.DoesNotContain(run.Transitions, t => t.Kind == TransitionKind.Unstaffed);
        Assert.Equal(WindowState.Away, run.Tracker.State);
    }

    [Fact]
    public void Tracker_EmptyBeforeOpening_ThresholdRunsFromOpeningTime()
    {
        var opensAt = T0.AddSeconds(100);
        var run = new Run(open: t => t >= opensAt).Feed(false, 500);

        var unstaffed = Assert.Single(run.Transitions, t => t.Kind == TransitionKind.Unstaffed);
        Assert.Equal(T0.AddSeconds(400), unstaffed.At);
    }

    [Fact]
    public void Tracker_FrameGap_IsUnknownAndNeverAbsence()
    {
        var run = new Run().Feed(true, 30).Skip(600).Feed(false, 30);

        Assert.Equal([TransitionKind.Staffed, TransitionKind.Unknown, TransitionKind.Vacated], run.Transitions.Select(t => t.Kind));
        Assert.Equal(T0.AddSeconds(29), run.Transitions[1].At);
        Assert.Equal(601, run.Seconds(WindowState.Unknown));
        Assert.DoesNotContain(run.Transitions, t => t.Kind == TransitionKind.Unstaffed);
    }

    [Fact]
    public void Tracker_MarkUnknown_OnceOnly()
    {
        var run = new Run().Feed(true, 30);
        run.Tracker.MarkUnknown("camera down", run.Transitions, run.Spans);
        run.Tracker.MarkUnknown("camera down", run.Transitions, run.Spans);

        Assert.Equal([TransitionKind.Staffed, TransitionKind.Unknown], run.Transitions.Select(t => t.Kind));
        Assert.Equal("camera down", run.Transitions[1].Reason);
    }

    [Fact]
    public void Tracker_SpansCoverVideoTimeWithoutOverlap()
    {
        var run = new Run().Feed(true, 40).Feed(false, 3).Feed(true, 10).Feed(false, 400).Skip(50).Feed(true, 30);

        for (var i = 1; i < run.Spans.Count; i++)
        {
            Assert.Equal(run.Spans[i - 1].To, run.Spans[i].From);
        }

        Assert.Equal(T0, run.Spans[0].From);
    }
}
