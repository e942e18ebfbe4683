using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>What a state change means on the wire.</summary>
public enum TransitionKind
{
    Staffed,
    Vacated,
    Unstaffed,
    Restaffed,
    Unknown,

    /// <summary>The clerk at a Staffed window has not moved for the inactive threshold (<see cref="InactivityTracker"/>).</summary>
    Inactive,

    /// <summary>An <see cref="Inactive"/> stretch ended (<see cref="Transition.Ended"/> says why).</summary>
    Active,
}

/// <summary>
/// A state change at video time <paramref name="At"/>; <paramref name="Since"/> is when the person came or went (the
/// first frame that showed it; for Inactive and Active the last frame that showed movement); <paramref name="Absence"/>
/// the moments of the absence a Vacated, Unstaffed or Restaffed begins, confirms or ends; <paramref name="Ended"/> why
/// an inactive stretch ended (Active only).
/// </summary>
public readonly record struct Transition(
    TransitionKind Kind, DateTimeOffset At, DateTimeOffset Since, string? Reason = null, AbsenceTimes? Absence = null, InactivityEnd? Ended = null);

/// <summary>A stretch of video time [From, To) whose state is settled, for the attendance ledger.</summary>
public readonly record struct StateSpan(DateTimeOffset From, DateTimeOffset To, WindowState State);

/// <summary>The tracker's timings, all on video time.</summary>
public sealed record TrackerTimings(TimeSpan EntryDebounce, TimeSpan ExitDebounce, TimeSpan LeaveThreshold, TimeSpan MaxFrameGap);

/// <summary>
/// Turns one window's per-frame presence into states on video time (frame timestamps, never processing time).
/// Time whose state is still being debounced is held back and settled once the debounce decides, so the
/// ledger counts an absence from the first empty frame, not from the moment it was confirmed.
/// </summary>
public sealed class WindowTracker(TrackerTimings timings, Func<DateTimeOffset, bool> isOpen)
{
    private DateTimeOffset? _lastFrame;
    private DateTimeOffset _settledUntil;
    private DateTimeOffset? _pendingFrom;
    private bool _pendingPresent;
    private DateTimeOffset _awaySince;
    private DateTimeOffset? _openAwaySince;
    private DateTimeOffset? _lastPresent;
    private AbsenceTimes? _absence;

    public WindowState State { get; private set; } = WindowState.Unknown;

    /// <summary>Since when the seat has been empty (meaningful in Away and Unstaffed).</summary>
    public DateTimeOffset AwaySince => _awaySince;

    public DateTimeOffset? LastFrame => _lastFrame;

    /// <summary>Feeds one analysed frame; appends any state changes and settled spans.</summary>
    public void Observe(DateTimeOffset at, bool present, List<Transition> transitions, List<StateSpan> spans)
    {
        if (_lastFrame is not { } last)
        {
            _settledUntil = at;
        }
        else if (at <= last)
        {
            return; // A repeated or out-of-order timestamp says nothing new.
        }
        else if (at - last > timings.MaxFrameGap)
        {
            EnterUnknown(last, $"no frames for {(at - last).TotalSeconds:0} s", transitions, spans);
            Settle(at, spans);
        }

        _lastFrame = at;
        var lastSeen = _lastPresent;
        if (present)
        {
            _lastPresent = at;
        }

        var agrees = present ? State == WindowState.Staffed : State is WindowState.Away or WindowState.Unstaffed;
        if (agrees)
        {
            _pendingFrom = null;
            Settle(at, spans);
        }
        else
        {
            if (_pendingFrom is null || _pendingPresent != present)
            {
                // Up to the first frame that disagrees, the old state held.
                Settle(at, spans);
                _pendingFrom = at;
                _pendingPresent = present;
            }

            var since = _pendingFrom.Value;
            if (at - since >= (present ? timings.EntryDebounce : timings.ExitDebounce))
            {
                _pendingFrom = null;
                if (present)
                {
                    transitions.Add(State == WindowState.Unstaffed
                        ? new Transition(TransitionKind.Restaffed, at, since, Absence: _absence)
                        : new Transition(TransitionKind.Staffed, at, since));
                    State = WindowState.Staffed;
                    _openAwaySince = null;
                }
                else
                {
                    _awaySince = since;
                    // Every frame since the first empty one was empty too, so the last present frame came before it.
                    _absence = new AbsenceTimes(lastSeen, at, null);
                    transitions.Add(new Transition(TransitionKind.Vacated, at, since, Absence: _absence));
                    State = WindowState.Away;
                }

                Settle(at, spans);
            }
        }

        CheckLeaveThreshold(at, transitions, spans);
    }

    /// <summary>No frames arrive (camera or Recorder down): what is pending settles as it was, then the window is Unknown.</summary>
    public void MarkUnknown(string reason, List<Transition> transitions, List<StateSpan> spans)
    {
        if (_lastFrame is { } last)
        {
            EnterUnknown(last, reason, transitions, spans);
        }
    }

    private void EnterUnknown(DateTimeOffset last, string reason, List<Transition> transitions, List<StateSpan> spans)
    {
        if (State == WindowState.Unknown)
        {
            _pendingFrom = null;
            return;
        }

        Settle(last, spans);
        _pendingFrom = null;
        _openAwaySince = null;
        State = WindowState.Unknown;
        transitions.Add(new Transition(TransitionKind.Unknown, last, last, reason));
    }

    private void CheckLeaveThreshold(DateTimeOffset at, List<Transition> transitions, List<StateSpan> spans)
    {
        if (State != WindowState.Away)
        {
            return;
        }

        if (!isOpen(at))
        {
            _openAwaySince = null;
            return;
        }

        // The threshold runs from the absence's start, or from opening time when the seat was already empty then.
        _openAwaySince ??= isOpen(_awaySince) ? _awaySince : at;
        var due = _openAwaySince.Value + timings.LeaveThreshold;
        if (at >= due && _pendingFrom is null)
        {
            Settle(due, spans);
            State = WindowState.Unstaffed;
            Settle(at, spans);
            _absence = (_absence ?? new AbsenceTimes(null, null, null)) with { UnstaffedAt = at };
            transitions.Add(new Transition(TransitionKind.Unstaffed, at, _awaySince, Absence: _absence));
        }
    }

    private void Settle(DateTimeOffset until, List<StateSpan> spans)
    {
        if (until > _settledUntil)
        {
            spans.Add(new StateSpan(_settledUntil, until, State));
            _settledUntil = until;
        }
    }
}
