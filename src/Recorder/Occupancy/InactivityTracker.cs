using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Turns one window's per-frame "did the seat move" into inactivity on video time: a clerk at a Staffed window with no
/// movement for the threshold during opening hours is inactive (an <see cref="TransitionKind.Inactive"/> transition,
/// since the last movement) until they move, leave, the window closes or frames stop (one
/// <see cref="TransitionKind.Active"/> transition, whatever the cause, so the ledger and the alert have one end to
/// follow). Pure: the movement itself is measured by <see cref="ActivityMeter"/>.
/// </summary>
public sealed class InactivityTracker(TimeSpan threshold)
{
    private DateTimeOffset? _lastActivity;

    /// <summary>True between an Inactive transition and its Active one.</summary>
    public bool Inactive { get; private set; }

    /// <summary>The last frame that showed movement while watched (null while not watched).</summary>
    public DateTimeOffset? LastActivity => _lastActivity;

    /// <summary>
    /// Feeds one analysed frame: the window's <paramref name="state"/> after this frame, whether the schedule says it
    /// is <paramref name="open"/>, and whether the seat <paramref name="moved"/> (ignored unless Staffed and open).
    /// </summary>
    public void Observe(DateTimeOffset at, WindowState state, bool open, bool moved, List<Transition> transitions)
    {
        if (state != WindowState.Staffed || !open)
        {
            End(at, state == WindowState.Staffed ? InactivityEnd.Closed : state == WindowState.Unknown ? InactivityEnd.NoFrames : InactivityEnd.Left, transitions);
            return;
        }

        if (_lastActivity is not { } last)
        {
            // The first watched frame counts as movement: the time before it (away, closed, no frames) says nothing.
            _lastActivity = at;
            return;
        }

        if (moved)
        {
            if (Inactive)
            {
                transitions.Add(new Transition(TransitionKind.Active, at, last, Ended: InactivityEnd.Moved));
                Inactive = false;
            }

            _lastActivity = at;
            return;
        }

        if (!Inactive && at - last >= threshold)
        {
            Inactive = true;
            transitions.Add(new Transition(TransitionKind.Inactive, at, last));
        }
    }

    /// <summary>The window stopped being watched (no frames, left, closed): an inactive stretch ends at <paramref name="at"/>.</summary>
    public void End(DateTimeOffset at, InactivityEnd reason, List<Transition> transitions)
    {
        if (Inactive && _lastActivity is { } last)
        {
            transitions.Add(new Transition(TransitionKind.Active, at, last, Ended: reason));
        }

        Inactive = false;
        _lastActivity = null;
    }
}
