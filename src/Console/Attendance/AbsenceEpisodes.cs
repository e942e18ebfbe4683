using ServiceHall.Console.Ingest;
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
    /// One absence: empty since <paramref name="AwaySince"/>, unstaffed from <paramref name="UnstaffedAt"/> until
    /// <paramref name="EndedAt"/> (null while it lasts). <paramref name="UnstaffedMinutes"/> counts only the part inside
    /// the period asked for, as the report's absence minutes do.
    /// </summary>
    public sealed record Episode(
        string SiteId, string CameraId, string WindowId, DateTimeOffset AwaySince, DateTimeOffset UnstaffedAt, DateTimeOffset? EndedAt,
        string? EndedBy, double UnstaffedMinutes, IReadOnlyList<Snapshot> Snapshots);

    /// <summary>Episodes of one window that overlap [from, to), oldest first; <paramref name="windowEvents"/> are that window's events in delivery order.</summary>
    public static IReadOnlyList<Episode> Find(IEnumerable<StoredEvent> windowEvents, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var episodes = new List<Episode>();
        StoredEvent? vacated = null;
        (StoredEvent Record, WindowUnstaffed Event, List<Snapshot> Snapshots)? open = null;
        foreach (var record in windowEvents)
        {
            var siteEvent = record.ToEvent();
            switch (siteEvent)
            {
                case WindowUnstaffed unstaffed when open is null:
                    var snapshots = new List<Snapshot>();
                    if (vacated is { HasSnapshot: true })
                    {
                        snapshots.Add(SnapshotOf(vacated));
                    }

                    if (record.HasSnapshot)
                    {
                        snapshots.Add(SnapshotOf(record));
                    }

                    open = (record, unstaffed, snapshots);
                    break;
                case WindowVacated when open is null:
                    vacated = record;
                    break;
                case WindowStaffed or WindowRestaffed or WindowUnknown or WindowVacated when open is { } current:
                    if (record.HasSnapshot)
                    {
                        current.Snapshots.Add(SnapshotOf(record));
                    }

                    episodes.Add(Close(current.Record, current.Event, current.Snapshots, siteEvent.OccurredAt, record.Type, from, to));
                    open = null;
                    vacated = siteEvent is WindowVacated ? record : null;
                    break;
                case WindowStaffed or WindowRestaffed or WindowUnknown:
                    vacated = null;
                    break;
            }
        }

        if (open is { } last)
        {
            episodes.Add(Close(last.Record, last.Event, last.Snapshots, null, null, from, now < to ? now : to));
        }

        return [.. episodes.Where(e => e.UnstaffedAt < to && (e.EndedAt ?? DateTimeOffset.MaxValue) > from)];
    }

    private static Episode Close(StoredEvent record, WindowUnstaffed unstaffed, List<Snapshot> snapshots, DateTimeOffset? endedAt, string? endedBy, DateTimeOffset from, DateTimeOffset to)
    {
        var start = unstaffed.OccurredAt > from ? unstaffed.OccurredAt : from;
        var end = endedAt is { } e && e < to ? e : to;
        return new Episode(
            record.SiteId, unstaffed.CameraId, unstaffed.WindowId, unstaffed.AwaySince, unstaffed.OccurredAt, endedAt, endedBy,
            end > start ? (end - start).TotalMinutes : 0, snapshots);
    }

    private static Snapshot SnapshotOf(StoredEvent record) => new(record.Sequence, record.Type, record.OccurredAt);
}
