using System.Globalization;

namespace ServiceHall.Shared.Scheduling;

/// <summary>A hall's schedule as configured: bound from configuration, checked by <see cref="Check"/>, turned into a <see cref="HallSchedule"/>.</summary>
public sealed class ScheduleOptions
{
    /// <summary>IANA time zone of the hall.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    // The configuration binder appends to a list that already has items, so defaults live apart from the bound lists:
    // a hall that configures its own hours gets exactly those, not those plus ours.
    private static readonly List<string> DefaultHours = ["09:00-12:00", "13:30-17:00"];
    private static readonly List<DayOfWeek> DefaultWorkDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Opening hours of a working day, "HH:mm-HH:mm" each; gaps between them are breaks. Empty: 09:00-12:00 and 13:30-17:00.</summary>
    public List<string> Hours { get; set; } = [];

    /// <summary>Days of the week the hall works. Empty: Monday to Friday.</summary>
    public List<DayOfWeek> WorkDays { get; set; } = [];

    public IReadOnlyList<string> EffectiveHours => Hours.Count > 0 ? Hours : DefaultHours;

    public IReadOnlyList<DayOfWeek> EffectiveWorkDays => WorkDays.Count > 0 ? WorkDays : DefaultWorkDays;

    /// <summary>Public holidays (yyyy-MM-dd), closed even on a work day.</summary>
    public List<string> Holidays { get; set; } = [];

    /// <summary>Make-up working days (yyyy-MM-dd), open even on a weekend.</summary>
    public List<string> MakeUpDays { get; set; } = [];

    /// <summary>Every problem, each naming its key under <paramref name="key"/>.</summary>
    public IEnumerable<string> Check(string key)
    {
        if (!TryZone(TimeZone, out _))
        {
            yield return $"{key}:TimeZone '{TimeZone}' is not a known time zone.";
        }

        var hours = EffectiveHours;
        var parsed = new List<OpeningHours>();
        for (var i = 0; i < hours.Count; i++)
        {
            if (OpeningHours.TryParse(hours[i], out var h))
            {
                parsed.Add(h);
            }
            else
            {
                yield return $"{key}:Hours:{i} '{hours[i]}' must be HH:mm-HH:mm with the end after the start.";
            }
        }

        parsed.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < parsed.Count; i++)
        {
            if (parsed[i].Start < parsed[i - 1].End)
            {
                yield return $"{key}:Hours {parsed[i - 1]} and {parsed[i]} overlap.";
            }
        }

        foreach (var error in CheckDates(Holidays, $"{key}:Holidays").Concat(CheckDates(MakeUpDays, $"{key}:MakeUpDays")))
        {
            yield return error;
        }
    }

    /// <summary>The schedule; call only after <see cref="Check"/> found nothing.</summary>
    public HallSchedule Build()
    {
        if (!TryZone(TimeZone, out var zone))
        {
            throw new InvalidOperationException($"unknown time zone '{TimeZone}'");
        }

        return new HallSchedule(
            zone,
            EffectiveHours.Select(h => OpeningHours.TryParse(h, out var parsed) ? parsed : throw new FormatException($"bad hours '{h}'")),
            EffectiveWorkDays,
            Holidays.Select(ParseDate),
            MakeUpDays.Select(ParseDate));
    }

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static IEnumerable<string> CheckDates(IReadOnlyList<string> dates, string key)
    {
        for (var i = 0; i < dates.Count; i++)
        {
            if (!DateOnly.TryParseExact(dates[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                yield return $"{key}:{i} '{dates[i]}' must be a date like 2026-10-01.";
            }
        }
    }

    private static bool TryZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
