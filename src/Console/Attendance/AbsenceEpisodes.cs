using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Attendance;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Attendance;

/// <summary>
/// The absences behind an attendance figure: each stretch a window was unstaffed, rebuilt from its stored events,
/// with the proof pictures its events carried (the seat as it was left, when it was judged unstaffed, and the return).
/// </summary>
public static class AbsenceEpisodes
{
    /// <summary>An event's proof picture, at <c>/api/events/{siteId}/{Sequence}/snapshot.jpg</c>.</summary>
    public sealed record Snapshot(long Sequence, string Type, DateTimeOffset OccurredAt);

    /// <summary>
    /// One absence with the moments every screen shows for it (<see cref="AbsenceTimes"/>): the clerk last seen at
    /// <paramref name="LastSeenAt"/> (null from an older Recorder or when nobody was seen), the seat confirmed empty at
    /// <paramref name="VacatedAt"/>, unstaffed from <paramref name="UnstaffedAt"/> until <paramref name="EndedAt"/> (null
    /// while it lasts). <paramref name="UnstaffedMinutes"/> counts only the part inside the period asked for, as the
    /// report's absence minutes do.
    /// </summary>
    public sealed record Episode(
        string SiteId, string CameraId, string WindowId, DateTimeOffset? LastSeenAt, DateTimeOffset? VacatedAt, DateTimeOffset UnstaffedAt,
        DateTimeOffset? EndedAt, string? EndedBy, double UnstaffedMinutes, IReadOnlyList<Snapshot> Snapshots);

    /// <summary>Episodes of one window that overlap [from, to), oldest first; <paramref name="windowEvents"/> are that window's events in delivery order.</summary>
    public static IReadOnlyList<Episode> Find(IEnumerable<StoredEvent> windowEvents, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        List<(StoredEvent Record, SiteEvent Event)> events = [.. windowEvents.Select(r => (r, r.ToEvent())).Where(x => WindowStates.After(x.Item2) is not null)];
        // Nothing is known after now: an absence still going on is counted up to it (or to the period's end).
        List<StateChange> changes = [.. events.Select(x => new StateChange(x.Event.OccurredAt, WindowStates.After(x.Event))), new(now < to ? now : to, null)];
        var walk = StateWalk.Walk(changes, WindowState.Unknown, from, to, StateWalk.WholeSpan, StateWalk.Unstaffed);
        var episodes = new List<Episode>();
        foreach (var run in walk.Absences)
        {
            var (record, siteEvent) = events[run.Began];
            var unstaffed = (WindowUnstaffed)siteEvent;
            (StoredEvent Record, SiteEvent Event)? ending = run.Ended is { } e && e < events.Count ? events[e] : null;
            // The pictures: the seat as it was left (when the window went straight from vacated to unstaffed), when it was judged unstaffed, and the return.
            var vacated = run.Began > 0 ? events[run.Began - 1].Event as WindowVacated : null;
            var left = vacated is not null ? events[run.Began - 1].Record : null;
            // An older Recorder's Unstaffed does not say when the seat was confirmed empty: the Vacated before it does.
            var times = AbsenceTimes.Of(unstaffed)!;
            List<Snapshot> snapshots = [.. new[] { left, record, ending?.Record }.OfType<StoredEvent>().Where(r => r.HasSnapshot).Select(SnapshotOf)];
            episodes.Add(new Episode(
                record.SiteId, unstaffed.CameraId, unstaffed.WindowId, times.LastSeenAt ?? vacated?.LastSeenAt, times.VacatedAt ?? vacated?.OccurredAt,
                unstaffed.OccurredAt, ending?.Event.OccurredAt, ending?.Record.Type, run.Counted.TotalMinutes, snapshots));
        }

        return [.. episodes.Where(e => e.UnstaffedAt < to && (e.EndedAt ?? DateTimeOffset.MaxValue) > from)];
    }

    private static Snapshot SnapshotOf(StoredEvent record) => new(record.Sequence, record.Type, record.OccurredAt);
}
