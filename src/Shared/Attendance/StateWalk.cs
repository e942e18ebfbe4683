using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Shared.Attendance;

/// <summary>A window entering <paramref name="State"/> at <paramref name="At"/>; a null state means nothing is known from then on, and such time is not counted.</summary>
public readonly record struct StateChange(DateTimeOffset At, WindowState? State);

/// <summary>
/// One absence: a run of changes into absent states, from the change at <paramref name="Began"/> to the one at
/// <paramref name="Ended"/> (indexes into the walked changes; null while it still lasts at the end of them).
/// [<paramref name="From"/>, <paramref name="To"/>) is its part inside the walked range (empty when it lies outside),
/// <paramref name="Counted"/> how much of that part counts.
/// </summary>
public readonly record struct AbsenceRun(int Began, int? Ended, DateTimeOffset From, DateTimeOffset To, TimeSpan Counted);

/// <summary>What a walk found: the counted time in each state, and the absences in the order they began.</summary>
public sealed record StateWalkResult(IReadOnlyDictionary<WindowState, TimeSpan> Time, IReadOnlyList<AbsenceRun> Absences)
{
    /// <summary>The counted time spent in <paramref name="state"/> (zero when never in it).</summary>
    public TimeSpan In(WindowState state) => Time.GetValueOrDefault(state);
}

/// <summary>
/// The one walk through a window's sequence of states, shared by the Recorder's ledger (fed by its tracker) and the
/// Console's provisional days and absence episodes (fed by stored events). Pure: the answer depends only on the input.
/// <para>
/// The callers differ in two places, and each keeps its own: what counts as an absence (the Recorder's closed days count
/// every time the seat was empty, <see cref="SeatEmpty"/>; the Console's provisional days and drill-down count
/// <see cref="WindowState.Unstaffed"/> runs only, <see cref="Unstaffed"/>), and what counts as time (opening hours, or
/// the whole span when the Console knows no schedule).
/// </para>
/// </summary>
public static class StateWalk
{
    /// <summary>An absence is a run of Unstaffed, as the Console counts it.</summary>
    public static readonly Func<WindowState, bool> Unstaffed = state => state == WindowState.Unstaffed;

    /// <summary>An absence is any time the seat was empty (Away, then perhaps Unstaffed), as the Recorder's closed days count it.</summary>
    public static readonly Func<WindowState, bool> SeatEmpty = state => state is WindowState.Away or WindowState.Unstaffed;

    /// <summary>Every second of a span counts.</summary>
    public static readonly Func<DateTimeOffset, DateTimeOffset, TimeSpan> WholeSpan = (from, to) => to - from;

    /// <summary>Only the part of a span inside the hall's opening hours counts, minus the window's closed days.</summary>
    public static Func<DateTimeOffset, DateTimeOffset, TimeSpan> OpeningHours(HallSchedule schedule, IReadOnlySet<DateOnly>? closedDays) =>
        (from, to) => schedule.OpenOverlap(from, to, closedDays);

    /// <summary>
    /// Walks <paramref name="changes"/> (in the order they happened) over the range [<paramref name="start"/>,
    /// <paramref name="end"/>): the window is in <paramref name="before"/> until the first change, and each state lasts
    /// until the next change, the last until <paramref name="end"/>. Changes before the range take effect at its start.
    /// Time never runs backwards: a change stamped earlier than the one before it takes effect at that one's instant.
    /// </summary>
    /// <param name="changes">The state changes, in the order they happened.</param>
    /// <param name="before">The state before the first change; null when that time is not to be counted. Not an absent state.</param>
    /// <param name="start">The range's first instant.</param>
    /// <param name="end">The instant after the range (a range ending before it starts is empty).</param>
    /// <param name="counted">How much of a span [from, to) inside the range counts, e.g. <see cref="WholeSpan"/> or <see cref="OpeningHours"/>.</param>
    /// <param name="absent">Which states make an absence, e.g. <see cref="Unstaffed"/> or <see cref="SeatEmpty"/>.</param>
    public static StateWalkResult Walk(
        IReadOnlyList<StateChange> changes,
        WindowState? before,
        DateTimeOffset start,
        DateTimeOffset end,
        Func<DateTimeOffset, DateTimeOffset, TimeSpan> counted,
        Func<WindowState, bool> absent)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(counted);
        ArgumentNullException.ThrowIfNull(absent);
        if (before is { } initial && absent(initial))
        {
            throw new ArgumentException("the state before the first change must not be an absence", nameof(before));
        }

        if (end < start)
        {
            end = start;
        }

        var time = new Dictionary<WindowState, TimeSpan>();
        var absences = new List<AbsenceRun>();
        var state = before;
        var since = start;
        (int Began, DateTimeOffset From, TimeSpan Counted)? run = null;

        // The current state holds from `since` until `at`; only its part before the range's end is counted.
        void Advance(DateTimeOffset at)
        {
            if (at <= since)
            {
                return;
            }

            var to = at < end ? at : end;
            if (to > since && state is { } current)
            {
                var part = counted(since, to);
                time[current] = time.GetValueOrDefault(current) + part;
                if (run is { } open)
                {
                    run = open with { Counted = open.Counted + part };
                }
            }

            since = at;
        }

        DateTimeOffset Clip(DateTimeOffset at) => at < end ? at : end;

        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            Advance(change.At);
            var wasAbsent = state is { } old && absent(old);
            var isAbsent = change.State is { } next && absent(next);
            if (isAbsent && !wasAbsent)
            {
                run = (i, Clip(since), TimeSpan.Zero);
            }
            else if (wasAbsent && !isAbsent && run is { } ended)
            {
                absences.Add(new AbsenceRun(ended.Began, i, ended.From, Clip(since), ended.Counted));
                run = null;
            }

            state = change.State;
        }

        Advance(end);
        if (run is { } last)
        {
            absences.Add(new AbsenceRun(last.Began, null, last.From, Clip(since), last.Counted));
        }

        return new StateWalkResult(time, absences);
    }
}
