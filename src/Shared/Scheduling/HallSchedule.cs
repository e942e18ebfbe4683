using System.Globalization;

namespace ServiceHall.Shared.Scheduling;

/// <summary>A local time-of-day range [Start, End) within one day, e.g. 09:00-12:00.</summary>
public readonly record struct OpeningHours(TimeOnly Start, TimeOnly End)
{
    /// <summary>Parses "HH:mm-HH:mm"; the end must be after the start.</summary>
    public static bool TryParse(string? text, out OpeningHours hours)
    {
        hours = default;
        var parts = text?.Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 }
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || end <= start)
        {
            return false;
        }

        hours = new OpeningHours(start, end);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start:HH\\:mm}-{End:HH\\:mm}");
}

/// <summary>
/// When a hall's windows are open: weekly hours with breaks in the hall's time zone, public holidays, and the
/// make-up working days that replace them. Pure: every answer depends only on the instant asked about.
/// </summary>
public sealed class HallSchedule
{
    private readonly IReadOnlyList<OpeningHours> _hours;
    private readonly HashSet<DayOfWeek> _workDays;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _makeUpDays;

    public HallSchedule(
        TimeZoneInfo zone,
        IEnumerable<OpeningHours> hours,
        IEnumerable<DayOfWeek> workDays,
        IEnumerable<DateOnly>? holidays = null,
        IEnumerable<DateOnly>? makeUpDays = null)
    {
        Zone = zone;
        _hours = [.. hours.OrderBy(h => h.Start)];
        for (var i = 1; i < _hours.Count; i++)
        {
            if (_hours[i].Start < _hours[i - 1].End)
            {
                throw new ArgumentException($"opening hours {_hours[i - 1]} and {_hours[i]} overlap", nameof(hours));
            }
        }

        _workDays = [.. workDays];
        _holidays = [.. holidays ?? []];
        _makeUpDays = [.. makeUpDays ?? []];
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The hall's local calendar day at an instant.</summary>
    public DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The first instant of a local day (its midnight, or the first time after it that exists in the zone).</summary>
    public DateTimeOffset DayStart(DateOnly day) => ToInstant(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>Whether the hall works on a local day at all (holidays off, make-up days on).</summary>
    public bool IsWorkingDay(DateOnly day) =>
        !_holidays.Contains(day) && (_makeUpDays.Contains(day) || _workDays.Contains(day.DayOfWeek));

    /// <summary>The UTC intervals the hall is open on a local day, minus the window's closed days.</summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> OpenIntervals(DateOnly day, IReadOnlySet<DateOnly>? closedDays = null)
    {
        if (!IsWorkingDay(day) || closedDays?.Contains(day) == true)
        {
            return [];
        }

        var result = new List<(DateTimeOffset, DateTimeOffset)>(_hours.Count);
        foreach (var h in _hours)
        {
            var start = ToInstant(day.ToDateTime(h.Start));
            var end = ToInstant(day.ToDateTime(h.End));
            if (end > start)
            {
                result.Add((start, end));
            }
        }

        return result;
    }

    public bool IsOpen(DateTimeOffset at, IReadOnlySet<DateOnly>? closedDays = null)
    {
        foreach (var (start, end) in OpenIntervals(LocalDay(at), closedDays))
        {
            if (at >= start && at < end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the hall is open now, on the clock given.</summary>
    public bool IsOpen(TimeProvider time, IReadOnlySet<DateOnly>? closedDays = null) => IsOpen(time.GetUtcNow(), closedDays);

    /// <summary>Scheduled open time of a whole local day (shorter or longer across a DST change only if the hours straddle it).</summary>
    public TimeSpan ScheduledDuration(DateOnly day, IReadOnlySet<DateOnly>? closedDays = null) =>
        OpenIntervals(day, closedDays).Aggregate(TimeSpan.Zero, (sum, i) => sum + (i.End - i.Start));

    /// <summary>How much of [from, to) falls in open hours.</summary>
    public TimeSpan OpenOverlap(DateTimeOffset from, DateTimeOffset to, IReadOnlySet<DateOnly>? closedDays = null)
    {
        var total = TimeSpan.Zero;
        if (to <= from)
        {
            return total;
        }

        for (var day = LocalDay(from); day <= LocalDay(to); day = day.AddDays(1))
        {
            foreach (var (start, end) in OpenIntervals(day, closedDays))
            {
                var s = start > from ? start : from;
                var e = end < to ? end : to;
                if (e > s)
                {
                    total += e - s;
                }
            }
        }

        return total;
    }

    /// <summary>Local wall time to an instant: a time skipped by a DST jump moves forward, a repeated one takes its first occurrence.</summary>
    private DateTimeOffset ToInstant(DateTime local)
    {
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }
}
