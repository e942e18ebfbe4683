using ServiceHall.Recorder.Occupancy;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The pure inactivity rule on synthetic frame sequences, one frame a second.</summary>
public sealed class InactivityTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(60);

    private sealed class Run
    {
        public InactivityTracker Tracker { get; } = new(Threshold);

        public List<Transition> Transitions { get; } = [];

        public int Second { get; private set; }

        /// <summary>Feeds one frame a second for <paramref name="seconds"/> seconds.</summary>
        public Run Feed(int seconds, bool moved, WindowState state = WindowState.Staffed, bool open = true)
        {
            for (var i = 0; i < seconds; i++)
            {
                Tracker.Observe(T0.AddSeconds(Second++), state, open, moved, Transitions);
            }

            return this;
        }
    }

    [Fact]
    public void Tracker_StillForThreshold_RaisesInactiveSinceLastMovement()
    {
        var run = new Run().Feed(10, moved: true).Feed(59, moved: false);
        Assert.Empty(run.Transitions);

        run.Feed(1, moved: false);

        var inactive = Assert.Single(run.Transitions);
        Assert.Equal(TransitionKind.Inactive, inactive.Kind);
        Assert.Equal(T0.AddSeconds(9), inactive.Since);
        Assert.Equal(T0.AddSeconds(69), inactive.At);
        Assert.True(run.Tracker.Inactive);

        run.Feed(120, moved: false);
        Assert.Single(run.Transitions);
    }

    [Fact]
    public void Tracker_MovingNowAndThen_NeverRaises()
    {
        var run = new Run();
        for (var i = 0; i < 20; i++)
        {
            run.Feed(50, moved: false).Feed(1, moved: true);
        }

        Assert.Empty(run.Transitions);
        Assert.False(run.Tracker.Inactive);
    }

    [Fact]
    public void Tracker_MovementAfterInactive_ResolvesWithTheStretch()
    {
        var run = new Run().Feed(1, moved: true).Feed(90, moved: false).Feed(1, moved: true);

        Assert.Equal([TransitionKind.Inactive, TransitionKind.Active], run.Transitions.Select(t => t.Kind));
        var active = run.Transitions[1];
        Assert.Equal(T0, active.Since);
        Assert.Equal(T0.AddSeconds(91), active.At);
        Assert.Equal(InactivityEnd.Moved, active.Ended);

        // The next stretch counts from this movement.
        run.Feed(59, moved: false);
        Assert.Equal(2, run.Transitions.Count);
        run.Feed(1, moved: false);
        Assert.Equal(T0.AddSeconds(91), run.Transitions[^1].Since);
    }

    [Fact]
    public void Tracker_OutsideOpeningHours_NeverRaises_AndClosingEndsAStretch()
    {
        var closed = new Run().Feed(600, moved: false, open: false);
        Assert.Empty(closed.Transitions);

        var closing = new Run().Feed(70, moved: false).Feed(5, moved: false, open: false);
        Assert.Equal([TransitionKind.Inactive, TransitionKind.Active], closing.Transitions.Select(t => t.Kind));
        Assert.Equal(InactivityEnd.Closed, closing.Transitions[1].Ended);

        // Time closed says nothing about the clerk: the count starts again at opening.
        closing.Feed(59, moved: false);
        Assert.Equal(2, closing.Transitions.Count);
    }

    [Fact]
    public void Tracker_AwayOrUnknown_NeverRaises_AndLeavingEndsAStretch()
    {
        Assert.Empty(new Run().Feed(600, moved: false, state: WindowState.Away).Transitions);
        Assert.Empty(new Run().Feed(600, moved: false, state: WindowState.Unstaffed).Transitions);
        Assert.Empty(new Run().Feed(600, moved: false, state: WindowState.Unknown).Transitions);

        var left = new Run().Feed(70, moved: false).Feed(1, moved: false, state: WindowState.Away);
        Assert.Equal([TransitionKind.Inactive, TransitionKind.Active], left.Transitions.Select(t => t.Kind));
        Assert.Equal(InactivityEnd.Left, left.Transitions[1].Ended);

        var lost = new Run().Feed(70, moved: false);
        lost.Tracker.End(T0.AddSeconds(69), InactivityEnd.NoFrames, lost.Transitions);
        Assert.Equal(InactivityEnd.NoFrames, lost.Transitions[^1].Ended);
        Assert.False(lost.Tracker.Inactive);
    }
}
