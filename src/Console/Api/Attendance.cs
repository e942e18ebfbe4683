using ServiceHall.Console.Attendance;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Api;

/// <summary>
/// Attendance per window and local day. A day its Recorder has closed comes from the Console's ledger of
/// <see cref="AttendanceDayClosed"/> events: scheduled time only, as the hall's schedule says. A day not closed yet
/// (today, or a Recorder that has not reported since) is rebuilt from the stored window events and marked provisional:
/// the Console does not know the schedule, so it counts the whole day. Time before a window's first known event, or
/// after "unknown", is never counted as absence.
/// </summary>
public static class Attendance
{
    /// <summary><paramref name="ScheduledSeconds"/> is null for a provisional day rebuilt from events.</summary>
    public sealed record WindowDay(string WindowId, double StaffedSeconds, double AwaySeconds, double UnstaffedSeconds, double UnknownSeconds, int Absences, double? ScheduledSeconds = null)
    {
        public bool Provisional => ScheduledSeconds is null;
    }

    public sealed record SiteDay(string SiteId, DateOnly Day, string TimeZone, IReadOnlyList<WindowDay> Windows);

    public static SiteDay ForDay(SiteRecord site, DateOnly day, EventStore events, AttendanceLedger ledger, DateTimeOffset? now = null)
    {
        var closed = ledger.ForDay(site.Id, day).ToDictionary(d => d.WindowId, StringComparer.Ordinal);
        var rebuilt = Rebuild(site, day, events, now).Where(w => !closed.ContainsKey(w.WindowId));
        var fromLedger = closed.Values.Select(d => new WindowDay(d.WindowId, d.StaffedSeconds, d.AwaySeconds, d.UnstaffedSeconds, d.UnknownSeconds, d.Absences, d.ScheduledSeconds));
        return new SiteDay(site.Id, day, site.TimeZone, [.. rebuilt.Concat(fromLedger).OrderBy(w => w.WindowId, StringComparer.Ordinal)]);
    }

    private static List<WindowDay> Rebuild(SiteRecord site, DateOnly day, EventStore events, DateTimeOffset? now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone);
        var start = Local(day, zone);
        var end = Local(day.AddDays(1), zone);
        var until = now is { } n && n < end ? n : end;
        // The state at midnight comes from the last event before it; a day of lookback covers any open episode worth counting.
        var history = events.InRange(new HashSet<string> { site.Id }, start.AddDays(-1), until, 100_000)
            .Where(e => e.WindowId is not null)
            .Select(e => (Record: e, Event: e.ToEvent()))
            .Where(x => WindowBoard.StateAfter(x.Event) is not null)
            .GroupBy(x => x.Record.WindowId!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var windows = new List<WindowDay>();
        foreach (var window in history)
        {
            var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
            var state = WindowStates.Unknown;
            var since = start;
            var absences = 0;
            foreach (var (record, siteEvent) in window.OrderBy(x => x.Record.Sequence))
            {
                var at = siteEvent.OccurredAt < start ? start : siteEvent.OccurredAt;
                var next = WindowBoard.StateAfter(siteEvent)!;
                if (at > since)
                {
                    seconds[state] = seconds.GetValueOrDefault(state) + (at - since).TotalSeconds;
                    since = at;
                }

                if (next == WindowStates.Unstaffed && state != WindowStates.Unstaffed && siteEvent.OccurredAt >= start)
                {
                    absences++;
                }

                state = next;
            }

            if (until > since)
            {
                seconds[state] = seconds.GetValueOrDefault(state) + (until - since).TotalSeconds;
            }

            windows.Add(new WindowDay(
                window.Key,
                seconds.GetValueOrDefault(WindowStates.Staffed),
                seconds.GetValueOrDefault(WindowStates.Away),
                seconds.GetValueOrDefault(WindowStates.Unstaffed),
                seconds.GetValueOrDefault(WindowStates.Unknown),
                absences));
        }

        return windows;
    }

    /// <summary>The instant a local day starts in the zone.</summary>
    public static DateTimeOffset Local(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
