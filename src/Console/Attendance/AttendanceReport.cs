using System.Globalization;
using System.Text;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Sites;

namespace ServiceHall.Console.Attendance;

/// <summary>Attendance per window over a day, week or month, summed from the per-day view of stored events.</summary>
public static class AttendanceReport
{
    public const int MaxSites = 500;

    /// <summary>
    /// One window over the period. The staffed rate is over the time the window's state was known; unknown time is never
    /// absence. <paramref name="ProvisionalDays"/> counts the days the Recorder has not closed yet, rebuilt from events in
    /// the opening hours it reported (over the whole day, and without scheduled minutes, if it never reported them).
    /// <paramref name="InactiveMinutes"/> is staffed time the clerk sat motionless (睡岗), part of the staffed minutes.
    /// </summary>
    public sealed record WindowRow(
        int Rank, string SiteId, string SiteName, string District, string WindowId,
        double StaffedRate, int Absences, double AbsenceMinutes, double AwayMinutes, double UnknownMinutes,
        double ScheduledMinutes, double StaffedMinutes, int ProvisionalDays, double InactiveMinutes = 0);

    public sealed record Report(string Period, DateOnly From, DateOnly To, IReadOnlyList<WindowRow> Rows);

    /// <summary>The local days of the period holding <paramref name="date"/>: itself, its Monday-to-Sunday week, or its month.</summary>
    public static (DateOnly From, DateOnly To)? Range(string period, DateOnly date) => period switch
    {
        "day" => (date, date),
        "week" => (date.AddDays(-(((int)date.DayOfWeek + 6) % 7)), date.AddDays(6 - (((int)date.DayOfWeek + 6) % 7))),
        "month" => (new DateOnly(date.Year, date.Month, 1), new DateOnly(date.Year, date.Month, 1).AddMonths(1).AddDays(-1)),
        _ => null,
    };

    /// <summary>The report over <paramref name="sites"/>; <paramref name="include"/> (site, window) narrows it to some windows, as a department scope does.</summary>
    public static Report Build(IReadOnlyList<SiteRecord> sites, string period, DateOnly from, DateOnly to, IEventStore events, AttendanceLedger ledger, SeatStore seats, DateTimeOffset now, Func<string, string, bool>? include = null)
    {
        var rows = new List<WindowRow>();
        foreach (var site in sites)
        {
            var hours = AttendanceDays.SiteHours.Of(seats, site.Id);
            var days = new List<AttendanceDays.WindowDay>();
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                days.AddRange(AttendanceDays.ForDay(site, day, events, ledger, hours, now).Windows);
            }

            foreach (var window in days.GroupBy(d => d.WindowId, StringComparer.Ordinal).Where(w => include?.Invoke(site.Id, w.Key) ?? true))
            {
                rows.Add(Row(site, window.Key, [.. window]));
            }
        }

        // The ranking for the monthly assessment: highest staffed rate first, fewer absences breaking ties.
        var ranked = rows
            .OrderByDescending(r => r.StaffedRate).ThenBy(r => r.Absences).ThenBy(r => r.SiteId, StringComparer.Ordinal).ThenBy(r => r.WindowId, StringComparer.Ordinal)
            .Select((r, i) => r with { Rank = i + 1 })
            .ToList();
        return new Report(period, from, to, ranked);
    }

    /// <summary>One window's days summed into a report row (rank set later).</summary>
    public static WindowRow Row(SiteRecord site, string windowId, IReadOnlyList<AttendanceDays.WindowDay> days)
    {
        var staffed = days.Sum(d => d.StaffedSeconds);
        var known = staffed + days.Sum(d => d.AwaySeconds) + days.Sum(d => d.UnstaffedSeconds);
        return new WindowRow(
            0, site.Id, site.Name, site.District, windowId,
            known > 0 ? staffed / known : 0,
            days.Sum(d => d.Absences),
            days.Sum(d => d.UnstaffedSeconds) / 60,
            days.Sum(d => d.AwaySeconds) / 60,
            days.Sum(d => d.UnknownSeconds) / 60,
            days.Sum(d => d.ScheduledSeconds ?? 0) / 60,
            staffed / 60,
            days.Count(d => d.Provisional),
            days.Sum(d => d.InactiveSeconds) / 60);
    }

    /// <summary>The report as CSV for a spreadsheet: UTF-8 with a byte order mark so Excel reads the Chinese names.</summary>
    public static byte[] Csv(Report report, bool english)
    {
        var csv = new StringBuilder();
        csv.AppendLine(english
            ? "rank,site_id,site,district,window,staffed_rate_pct,absences,absence_minutes,away_minutes,unknown_minutes,scheduled_minutes,staffed_minutes,provisional_days,inactive_minutes"
            : "排名,站点编号,站点,片区,窗口,在岗率%,缺岗次数,缺岗分钟,暂离分钟,未知分钟,应在岗分钟,在岗分钟,临时统计天数,睡岗静止分钟");
        foreach (var r in report.Rows)
        {
            csv.AppendLine(string.Join(',',
                r.Rank.ToString(CultureInfo.InvariantCulture), Field(r.SiteId), Field(r.SiteName), Field(r.District), Field(r.WindowId),
                (r.StaffedRate * 100).ToString("0.0", CultureInfo.InvariantCulture), r.Absences.ToString(CultureInfo.InvariantCulture),
                r.AbsenceMinutes.ToString("0.0", CultureInfo.InvariantCulture), r.AwayMinutes.ToString("0.0", CultureInfo.InvariantCulture),
                r.UnknownMinutes.ToString("0.0", CultureInfo.InvariantCulture), r.ScheduledMinutes.ToString("0.0", CultureInfo.InvariantCulture),
                r.StaffedMinutes.ToString("0.0", CultureInfo.InvariantCulture), r.ProvisionalDays.ToString(CultureInfo.InvariantCulture),
                r.InactiveMinutes.ToString("0.0", CultureInfo.InvariantCulture)));
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    // Quote every text field that needs it; a leading formula character is neutralised so a name cannot run as a formula.
    private static string Field(string value)
    {
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
