using System.Security.Claims;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Seats;
using ServiceHall.Shared.Contracts;
using DayAttendance = ServiceHall.Console.Api.Attendance;

namespace ServiceHall.Console.Attendance;

/// <summary>Attendance reports for the monthly assessment: JSON for the page, CSV for the spreadsheet.</summary>
public static class AttendanceEndpoints
{
    public static IEndpointRouteBuilder MapAttendanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/attendance").RequireAuthorization();
        group.MapGet("/report", (string scope, string id, string period, DateOnly date, ClaimsPrincipal user, Visibility visibility, SiteStore sites, SeatStore seats, EventStore events, AttendanceLedger ledger, TimeProvider time) =>
            Run(scope, id, period, date, user, visibility, sites, seats, events, ledger, time, report => Results.Ok(report)))
            .WithSummary("Per window over a day, week or month of a site, district or department: staffed rate, absences, unknown minutes, ranked");
        group.MapGet("/report.csv", (string scope, string id, string period, DateOnly date, string? lang, ClaimsPrincipal user, Visibility visibility, SiteStore sites, SeatStore seats, EventStore events, AttendanceLedger ledger, TimeProvider time) =>
            Run(scope, id, period, date, user, visibility, sites, seats, events, ledger, time, report =>
                Results.File(AttendanceReport.Csv(report, lang == "en"), "text/csv; charset=utf-8", $"attendance-{scope}-{id}-{period}-{report.From:yyyy-MM-dd}.csv")))
            .WithSummary("The same report as CSV (UTF-8 with BOM); lang=en for English headers");
        group.MapGet("/departments", (ClaimsPrincipal user, Visibility visibility, SeatStore seats) =>
            WindowsOf(seats, visibility.SiteIds(user)).SelectMany(x => x.Window.Departments).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            .WithSummary("The departments the windows of the user's sites serve, as their Recorders reported them");
        group.MapGet("/episodes", (string site, string window, string period, DateOnly date, ClaimsPrincipal user, Visibility visibility, SiteStore sites, EventStore events, TimeProvider time) =>
        {
            if (AttendanceReport.Range(period, date) is not { } range)
            {
                return Results.Problem("'period' must be day, week or month", statusCode: StatusCodes.Status400BadRequest);
            }

            if (!visibility.MaySee(user, site) || sites.Find(site) is not { } record)
            {
                return Results.NotFound();
            }

            var zone = TimeZoneInfo.FindSystemTimeZoneById(record.TimeZone);
            var from = DayAttendance.Local(range.From, zone);
            var to = DayAttendance.Local(range.To.AddDays(1), zone);
            // A day of lookback finds the start of an absence still open when the period began.
            var history = events.InRange(new HashSet<string> { site }, from.AddDays(-1), to, 100_000)
                .Where(e => e.WindowId == window)
                .OrderBy(e => e.Sequence);
            return Results.Ok(new EpisodeList(site, window, range.From, range.To, record.TimeZone, AbsenceEpisodes.Find(history, from, to, time.GetUtcNow())));
        }).WithSummary("The absence episodes of one window over a day, week or month, with their times and snapshots (the drill-down of a report row)");
        return app;
    }

    /// <summary>A window's absences over the period a report row covers.</summary>
    public sealed record EpisodeList(string SiteId, string WindowId, DateOnly From, DateOnly To, string TimeZone, IReadOnlyList<AbsenceEpisodes.Episode> Episodes);

    /// <summary>The reported windows of the visible sites.</summary>
    private static IEnumerable<(string SiteId, WindowConfigured Window)> WindowsOf(SeatStore seats, IReadOnlySet<string> visible) =>
        seats.AllWindows().Where(s => visible.Contains(s.Key)).SelectMany(s => s.Value.Select(w => (s.Key, w)));

    private static IResult Run(
        string scope, string id, string period, DateOnly date, ClaimsPrincipal user, Visibility visibility, SiteStore sites, SeatStore seats, EventStore events, AttendanceLedger ledger, TimeProvider time,
        Func<AttendanceReport.Report, IResult> answer)
    {
        if (AttendanceReport.Range(period, date) is not { } range)
        {
            return Results.Problem("'period' must be day, week or month", statusCode: StatusCodes.Status400BadRequest);
        }

        var visible = visibility.SiteIds(user);
        // A department is a set of windows across sites: those whose Recorder says they serve it.
        var departmentWindows = scope == "department"
            ? WindowsOf(seats, visible).Where(x => x.Window.Departments.Contains(id)).Select(x => (x.SiteId, x.Window.WindowId)).ToHashSet()
            : null;
        var chosen = scope switch
        {
            "site" => sites.All().Where(s => s.Id == id && visible.Contains(s.Id)).ToList(),
            "district" => sites.All().Where(s => s.District == id && visible.Contains(s.Id)).ToList(),
            "department" => sites.All().Where(s => departmentWindows!.Any(w => w.SiteId == s.Id)).ToList(),
            _ => null,
        };
        if (chosen is null)
        {
            return Results.Problem("'scope' must be site, district or department", statusCode: StatusCodes.Status400BadRequest);
        }

        if (chosen.Count == 0)
        {
            return Results.NotFound();
        }

        if (chosen.Count > AttendanceReport.MaxSites)
        {
            return Results.Problem($"a report covers at most {AttendanceReport.MaxSites} sites; choose a smaller district", statusCode: StatusCodes.Status400BadRequest);
        }

        var include = departmentWindows is null ? null : new Func<string, string, bool>((site, window) => departmentWindows.Contains((site, window)));
        return answer(AttendanceReport.Build(chosen, period, range.From, range.To, events, ledger, seats, time.GetUtcNow(), include));
    }
}
