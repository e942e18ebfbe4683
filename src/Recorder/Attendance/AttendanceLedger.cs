using System.Globalization;
using LiteDB;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Recorder.Storage;
using ServiceHall.Shared.Attendance;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Attendance;

/// <summary>One window's attendance on one local day, as stored in the Recorder's LiteDB.</summary>
public sealed class AttendanceDay
{
    /// <summary>"{camera}/{window}/{yyyy-MM-dd}".</summary>
    public string Id { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string WindowId { get; set; } = "";

    public string Day { get; set; } = "";

    public double ScheduledSeconds { get; set; }

    public double StaffedSeconds { get; set; }

    public double AwaySeconds { get; set; }

    public double UnstaffedSeconds { get; set; }

    /// <summary>Seen explicitly as Unknown so far; a closed day adds every scheduled second nobody accounted for.</summary>
    public double UnknownSeconds { get; set; }

    /// <summary>Staffed time the clerk sat motionless, in inactive stretches that ended (see <see cref="AttendanceDayClosed.InactiveSeconds"/>).</summary>
    public double InactiveSeconds { get; set; }

    public DateTime? FirstArrivalUtc { get; set; }

    public DateTime? LastDepartureUtc { get; set; }

    /// <summary>Start of an absence still going on (UTC), so a restart does not lose it.</summary>
    public DateTime? OpenAbsenceSinceUtc { get; set; }

    public List<AbsenceRecord> Absences { get; set; } = [];

    public bool Closed { get; set; }

    public AttendanceDayClosed ToEvent(DateTimeOffset occurredAt) => new()
    {
        OccurredAt = occurredAt,
        CameraId = CameraId,
        WindowId = WindowId,
        Day = Day,
        ScheduledSeconds = ScheduledSeconds,
        StaffedSeconds = StaffedSeconds,
        AwaySeconds = AwaySeconds,
        UnstaffedSeconds = UnstaffedSeconds,
        UnknownSeconds = UnknownSeconds,
        InactiveSeconds = InactiveSeconds,
        FirstArrival = Utc(FirstArrivalUtc),
        LastDeparture = Utc(LastDepartureUtc),
        Absences = [.. Absences.Select(a => new AbsenceEpisode(new DateTimeOffset(a.StartUtc, TimeSpan.Zero), new DateTimeOffset(a.EndUtc, TimeSpan.Zero), a.ScheduledSeconds))],
    };

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

/// <summary>A stored absence episode.</summary>
public sealed class AbsenceRecord
{
    public DateTime StartUtc { get; set; }

    public DateTime EndUtc { get; set; }

    public double ScheduledSeconds { get; set; }
}

/// <summary>
/// The per-window, per-local-day attendance ledger at the edge. It folds the tracker's settled spans (clipped to
/// opening hours) and transitions into day records, and closes a day when time moves past it.
/// </summary>
public sealed class AttendanceLedger(RecorderDatabase database)
{
    private readonly ILiteCollection<AttendanceDay> _days = database.Database.GetCollection<AttendanceDay>("attendance");
    private readonly Lock _lock = new();

    /// <summary>Folds one window's spans and transitions in; returns the days this closed (to publish).</summary>
    public IReadOnlyList<AttendanceDay> Apply(
        string cameraId,
        string windowId,
        HallSchedule schedule,
        IReadOnlySet<DateOnly> closedDays,
        IReadOnlyList<StateSpan> spans,
        IReadOnlyList<Transition> transitions)
    {
        lock (_lock)
        {
            var touched = new Dictionary<string, AttendanceDay>(StringComparer.Ordinal);
            AttendanceDay DayOf(DateOnly day)
            {
                var id = Key(cameraId, windowId, day);
                if (!touched.TryGetValue(id, out var record))
                {
                    record = _days.FindById(id) ?? new AttendanceDay
                    {
                        Id = id,
                        CameraId = cameraId,
                        WindowId = windowId,
                        Day = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ScheduledSeconds = schedule.ScheduledDuration(day, closedDays).TotalSeconds,
                    };
                    touched[id] = record;
                }

                return record;
            }

            // The spans are the tracker's settled time, one after another: one walk per local day they touch.
            List<StateChange> walked = [.. spans.SelectMany(s => new StateChange[] { new(s.From, s.State), new(s.To, null) })];
            var hours = StateWalk.OpeningHours(schedule, closedDays);
            foreach (var day in spans.SelectMany(s => Days(schedule, s.From, s.To)).Distinct().Order())
            {
                // A day with frames gets its record even when nothing was scheduled (a closed day shows as such).
                var record = DayOf(day);
                var walk = StateWalk.Walk(walked, null, schedule.DayStart(day), schedule.DayStart(day.AddDays(1)), hours, StateWalk.SeatEmpty);
                record.StaffedSeconds += walk.In(WindowState.Staffed).TotalSeconds;
                record.AwaySeconds += walk.In(WindowState.Away).TotalSeconds;
                record.UnstaffedSeconds += walk.In(WindowState.Unstaffed).TotalSeconds;
                record.UnknownSeconds += walk.In(WindowState.Unknown).TotalSeconds;
            }

            foreach (var t in transitions)
            {
                var record = DayOf(schedule.LocalDay(t.Since));
                switch (t.Kind)
                {
                    case TransitionKind.Staffed or TransitionKind.Restaffed:
                        record.FirstArrivalUtc ??= t.Since.UtcDateTime;
                        EndAbsence(cameraId, windowId, schedule, closedDays, t.Since, touched.Values, DayOf);
                        break;
                    case TransitionKind.Vacated:
                        record.LastDepartureUtc = t.Since.UtcDateTime;
                        record.OpenAbsenceSinceUtc = t.Since.UtcDateTime;
                        break;
                    case TransitionKind.Unknown:
                        // An absence cut by a loss of frames ends where knowledge ends; what follows is Unknown, not absence.
                        EndAbsence(cameraId, windowId, schedule, closedDays, t.Since, touched.Values, DayOf);
                        break;
                    case TransitionKind.Active:
                        // An inactive stretch is booked when it ends, from the last movement, within opening hours, per local day.
                        foreach (var day in Days(schedule, t.Since, t.At))
                        {
                            var from = Max(t.Since, schedule.DayStart(day));
                            var to = Min(t.At, schedule.DayStart(day.AddDays(1)));
                            DayOf(day).InactiveSeconds += schedule.OpenOverlap(from, to, closedDays).TotalSeconds;
                        }

                        break;
                }
            }

            var closed = new List<AttendanceDay>();
            if (spans.Count > 0)
            {
                // Every day before the newest one touched is over. Oldest first: an absence still going on at midnight
                // books its part of the day being closed, and goes on from the next day's start.
                var today = schedule.LocalDay(spans[^1].To);
                foreach (var old in _days.Find(d => d.CameraId == cameraId && d.WindowId == windowId && !d.Closed).ToList())
                {
                    touched.TryAdd(old.Id, old);
                }

                while (touched.Values.Where(r => !r.Closed && DateOf(r) < today).OrderBy(r => r.Day, StringComparer.Ordinal).FirstOrDefault() is { } record)
                {
                    if (record.OpenAbsenceSinceUtc is { } since)
                    {
                        var nextDayStart = schedule.DayStart(DateOf(record).AddDays(1));
                        record.OpenAbsenceSinceUtc = null;
                        BookAbsence(Utc(since), nextDayStart, schedule, closedDays, DayOf);
                        DayOf(DateOf(record).AddDays(1)).OpenAbsenceSinceUtc = nextDayStart.UtcDateTime;
                    }

                    Close(record);
                    closed.Add(record);
                }
            }

            foreach (var record in touched.Values)
            {
                _days.Upsert(record);
            }

            return closed;
        }
    }

    public AttendanceDay? Find(string cameraId, string windowId, DateOnly day) => _days.FindById(Key(cameraId, windowId, day));

    private void EndAbsence(
        string cameraId,
        string windowId,
        HallSchedule schedule,
        IReadOnlySet<DateOnly> closedDays,
        DateTimeOffset end,
        IEnumerable<AttendanceDay> touched,
        Func<DateOnly, AttendanceDay> dayOf)
    {
        // The open absence is held by an open day: stored, or touched in this batch (whose copy is the current one).
        var holders = _days.Find(d => d.CameraId == cameraId && d.WindowId == windowId && !d.Closed && d.OpenAbsenceSinceUtc != null)
            .Concat(touched)
            .ToList()
            .Select(d => dayOf(DateOf(d)))
            .Where(d => d.OpenAbsenceSinceUtc is not null)
            .Distinct()
            .ToList();
        foreach (var holder in holders)
        {
            var start = Utc(holder.OpenAbsenceSinceUtc!.Value);
            holder.OpenAbsenceSinceUtc = null;
            BookAbsence(start, end, schedule, closedDays, dayOf);
        }
    }

    /// <summary>Books the absence [start, end) as one episode per local day it touches, each with its scheduled seconds.</summary>
    private static void BookAbsence(DateTimeOffset start, DateTimeOffset end, HallSchedule schedule, IReadOnlySet<DateOnly> closedDays, Func<DateOnly, AttendanceDay> dayOf)
    {
        // Empty from start; what follows end is booked by whoever ended it.
        StateChange[] absence = [new(start, WindowState.Away), new(end, null)];
        var hours = StateWalk.OpeningHours(schedule, closedDays);
        foreach (var day in start < end ? Days(schedule, start, end) : [])
        {
            var walk = StateWalk.Walk(absence, null, schedule.DayStart(day), schedule.DayStart(day.AddDays(1)), hours, StateWalk.SeatEmpty);
            foreach (var part in walk.Absences.Where(a => a.To > a.From && a.Counted > TimeSpan.Zero))
            {
                dayOf(day).Absences.Add(new AbsenceRecord { StartUtc = part.From.UtcDateTime, EndUtc = part.To.UtcDateTime, ScheduledSeconds = part.Counted.TotalSeconds });
            }
        }
    }

    /// <summary>The local days from the one holding <paramref name="from"/> to the one holding <paramref name="to"/>, both included.</summary>
    private static IEnumerable<DateOnly> Days(HallSchedule schedule, DateTimeOffset from, DateTimeOffset to)
    {
        for (var day = schedule.LocalDay(from); day <= schedule.LocalDay(to); day = day.AddDays(1))
        {
            yield return day;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateOnly DateOf(AttendanceDay record) => DateOnly.ParseExact(record.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static void Close(AttendanceDay record)
    {
        var known = record.StaffedSeconds + record.AwaySeconds + record.UnstaffedSeconds;
        record.UnknownSeconds = Math.Max(record.UnknownSeconds, record.ScheduledSeconds - known);
        record.Closed = true;
    }

    private static string Key(string cameraId, string windowId, DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{cameraId}/{windowId}/{day:yyyy-MM-dd}");
}
