using System.Globalization;

namespace ServiceHall.Shared.Scheduling;

/// <summary>A hall's schedule as configured: bound from configuration, checked by <see cref="Check"/>, turned into a <see cref="HallSchedule"/>.</summary>
public sealed class ScheduleOptions
{
    /// <summary>IANA time zone of the hall.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Opening hours of a working day, "HH:mm-HH:mm" each; gaps between them are breaks.</summary>
    public List<string> Hours { get; set; } = ["09:00-12:00", "13:30-17:00"];

    public List<DayOfWeek> WorkDays { get; set; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

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

        if (Hours.Count == 0)
        {
            yield return $"{key}:Hours must list at least one range like 09:00-12:00.";
        }

        var parsed = new List<OpeningHours>();
        for (var i = 0; i < Hours.Count; i++)
        {
            if (OpeningHours.TryParse(Hours[i], out var h))
            {
                parsed.Add(h);
            }
            else
            {
                yield return $"{key}:Hours:{i} '{Hours[i]}' must be HH:mm-HH:mm with the end after the start.";
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
            Hours.Select(h => OpeningHours.TryParse(h, out var parsed) ? parsed : throw new FormatException($"bad hours '{h}'")),
            WorkDays,
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
