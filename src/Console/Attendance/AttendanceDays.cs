using ServiceHall.Console.Ingest;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Attendance;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Console.Attendance;

/// <summary>
/// Attendance per window and local day. A day its Recorder has closed comes from the Console's ledger of
/// <see cref="AttendanceDayClosed"/> events: scheduled time only, as the hall's schedule says. A day not closed yet
/// (today, or a Recorder that has not reported since) is rebuilt from the stored window events and marked provisional:
/// counted in the opening hours the Recorder last reported (<see cref="WindowsReported.Schedule"/>), or over the whole
/// day when it never reported them. Time before a window's first known event, or after "unknown", is never counted as
/// absence.
/// </summary>
public static class AttendanceDays
{
    /// <summary>
    /// <paramref name="ScheduledSeconds"/> is null for a provisional day without a known schedule; <paramref name="InactiveSeconds"/>
    /// is the staffed time the clerk sat motionless (<see cref="AttendanceDayClosed.InactiveSeconds"/>).
    /// </summary>
    public sealed record WindowDay(
        string WindowId, double StaffedSeconds, double AwaySeconds, double UnstaffedSeconds, double UnknownSeconds, int Absences, double? ScheduledSeconds, bool Provisional,
        double InactiveSeconds = 0);

    public sealed record SiteDay(string SiteId, DateOnly Day, string TimeZone, IReadOnlyList<WindowDay> Windows);

    /// <summary>What a site's Recorder last reported about when its windows open: read once per site, used for every day.</summary>
    public sealed record SiteHours(HallSchedule? Schedule, IReadOnlyList<WindowConfigured> Windows)
    {
        public static SiteHours Of(SeatStore seats, string siteId) => new(ScheduleOf(seats.Schedule(siteId)), seats.Windows(siteId));
    }

    public static SiteDay ForDay(SiteRecord site, DateOnly day, IEventStore events, AttendanceLedger ledger, SiteHours hours, DateTimeOffset? now = null)
    {
        var closed = ledger.ForDay(site.Id, day).ToDictionary(d => d.WindowId, StringComparer.Ordinal);
        var rebuilt = Rebuild(site, day, events, hours.Schedule, hours.Windows, now).Where(w => !closed.ContainsKey(w.WindowId));
        var fromLedger = closed.Values.Select(d => new WindowDay(d.WindowId, d.StaffedSeconds, d.AwaySeconds, d.UnstaffedSeconds, d.UnknownSeconds, d.Absences, d.ScheduledSeconds, Provisional: false, d.InactiveSeconds));
        return new SiteDay(site.Id, day, site.TimeZone, [.. rebuilt.Concat(fromLedger).OrderBy(w => w.WindowId, StringComparer.Ordinal)]);
    }

    /// <summary>The reported opening hours as a schedule; null when none were reported (or, stored by an older Console, no longer check).</summary>
    private static HallSchedule? ScheduleOf(HallHours? hours) =>
        hours?.ToOptions() is { } options && !options.Check("schedule").Any() ? options.Build() : null;

    private static List<WindowDay> Rebuild(SiteRecord site, DateOnly day, IEventStore events, HallSchedule? schedule, IReadOnlyList<WindowConfigured> configured, DateTimeOffset? now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(site.TimeZone);
        var start = Local(day, zone);
        var end = Local(day.AddDays(1), zone);
        var until = now is { } n && n < end ? n : end;
        // The state at midnight comes from the last event before it; a day of lookback covers any open episode worth counting.
        var all = events.InRange(new HashSet<string> { site.Id }, start.AddDays(-1), until, 100_000)
            .Where(e => e.WindowId is not null)
            .Select(e => (Record: e, Event: e.ToEvent()))
            .ToList();
        var history = all
            .Where(x => WindowStates.After(x.Event) is not null)
            .GroupBy(x => x.Record.WindowId!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var windows = new List<WindowDay>();
        foreach (var window in history)
        {
            var closedDays = configured.FirstOrDefault(w => w.WindowId == window.Key)?.ClosedDays?.Select(ScheduleOptions.ParseDate).ToHashSet();
            // With a schedule only opening hours count, as in the Recorder's ledger; without one, the whole day.
            var counted = schedule is null ? StateWalk.WholeSpan : StateWalk.OpeningHours(schedule, closedDays);
            List<StateChange> changes = [.. window.OrderBy(x => x.Record.Sequence).Select(x => new StateChange(x.Event.OccurredAt, WindowStates.After(x.Event)))];
            var walk = StateWalk.Walk(changes, WindowState.Unknown, start, until, counted, StateWalk.Unstaffed);
            // An absence counts on the day it began: one still going on at midnight was counted the day before.
            var absences = walk.Absences.Count(a => changes[a.Began].At >= start);
            windows.Add(new WindowDay(
                window.Key,
                walk.In(WindowState.Staffed).TotalSeconds,
                walk.In(WindowState.Away).TotalSeconds,
                walk.In(WindowState.Unstaffed).TotalSeconds,
                walk.In(WindowState.Unknown).TotalSeconds,
                absences,
                schedule is null ? null : counted(start, until).TotalSeconds,
                Provisional: true,
                Inactive(all.Where(x => x.Record.WindowId == window.Key).OrderBy(x => x.Record.Sequence).Select(x => x.Event), start, until, counted).TotalSeconds));
        }

        return windows;
    }

    /// <summary>
    /// The inactive time of one window's events within [<paramref name="start"/>, <paramref name="until"/>): each ended
    /// stretch from its last movement, and a stretch still going on up to <paramref name="until"/>, counted as the day counts.
    /// </summary>
    private static TimeSpan Inactive(IEnumerable<SiteEvent> windowEvents, DateTimeOffset start, DateTimeOffset until, Func<DateTimeOffset, DateTimeOffset, TimeSpan> counted)
    {
        TimeSpan Part(DateTimeOffset from, DateTimeOffset to)
        {
            var (f, t) = (from > start ? from : start, to < until ? to : until);
            return t > f ? counted(f, t) : TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        DateTimeOffset? open = null;
        foreach (var e in windowEvents)
        {
            switch (e)
            {
                case ClerkInactive inactive:
                    open = inactive.InactiveSince;
                    break;
                case ClerkActive active:
                    total += Part(active.InactiveSince, active.OccurredAt);
                    open = null;
                    break;
            }
        }

        return open is { } since ? total + Part(since, until) : total;
    }

    /// <summary>The instant a local day starts in the zone.</summary>
    public static DateTimeOffset Local(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
