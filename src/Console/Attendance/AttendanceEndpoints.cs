using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Attendance;

/// <summary>Attendance for the monthly assessment: one site's day, reports as JSON for the page and CSV for the spreadsheet, and the absences behind a figure.</summary>
public static class AttendanceEndpoints
{
    /// <summary>What every attendance answer is read from, and for whom.</summary>
    public sealed record Sources(CurrentUser User, ISiteStore Sites, SeatStore Seats, IEventStore Events, AttendanceLedger Ledger, TimeProvider Time);

    /// <summary>A window's absences over the period a report row covers.</summary>
    public sealed record EpisodeList(string SiteId, string WindowId, DateOnly From, DateOnly To, string TimeZone, IReadOnlyList<AbsenceEpisodes.Episode> Episodes);

    public static IEndpointRouteBuilder MapAttendance(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/attendance").RequireAuthorization();
        group.MapGet("", Results<Ok<AttendanceDays.SiteDay>, NotFound> (string site, DateOnly day, [AsParameters] Sources sources) =>
            sources.User.MaySee(site) && sources.Sites.Find(site) is { } record
                ? TypedResults.Ok(AttendanceDays.ForDay(record, day, sources.Events, sources.Ledger, AttendanceDays.SiteHours.Of(sources.Seats, site), sources.Time.GetUtcNow()))
                : TypedResults.NotFound())
            .WithSummary("Per window: seconds scheduled, staffed, away, unstaffed and unknown on one local day (the Recorder's closed day, or provisional from stored events)");
        group.MapGet("/report", (string scope, string id, string period, DateOnly date, [AsParameters] Sources sources) =>
            Run(scope, id, period, date, sources, report => TypedResults.Ok(report)))
            .WithSummary("Per window over a day, week or month of a site, district or department: staffed rate, absences, unknown minutes, ranked");
        group.MapGet("/report.csv", (string scope, string id, string period, DateOnly date, string? lang, [AsParameters] Sources sources) =>
            Run(scope, id, period, date, sources, report =>
                TypedResults.File(AttendanceReport.Csv(report, lang == "en"), "text/csv; charset=utf-8", $"attendance-{scope}-{id}-{period}-{report.From:yyyy-MM-dd}.csv")))
            .WithSummary("The same report as CSV (UTF-8 with BOM); lang=en for English headers");
        group.MapGet("/departments", (CurrentUser user, SeatStore seats) =>
            TypedResults.Ok(WindowsOf(seats, user.SiteIds()).SelectMany(x => x.Window.Departments).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)))
            .WithSummary("The departments the windows of the user's sites serve, as their Recorders reported them");
        group.MapGet("/episodes", Results<Ok<EpisodeList>, ProblemHttpResult, NotFound> (string site, string window, string period, DateOnly date, [AsParameters] Sources sources) =>
        {
            if (AttendanceReport.Range(period, date) is not { } range)
            {
                return TypedResults.Problem("'period' must be day, week or month", statusCode: StatusCodes.Status400BadRequest);
            }

            if (!sources.User.MaySee(site) || sources.Sites.Find(site) is not { } record)
            {
                return TypedResults.NotFound();
            }

            var zone = TimeZoneInfo.FindSystemTimeZoneById(record.TimeZone);
            var start = AttendanceDays.Local(range.From, zone);
            var end = AttendanceDays.Local(range.To.AddDays(1), zone);
            // A day of lookback finds the start of an absence still open when the period began.
            var history = sources.Events.InRange(new HashSet<string> { site }, start.AddDays(-1), end, 100_000)
                .Where(e => e.WindowId == window)
                .OrderBy(e => e.Sequence);
            return TypedResults.Ok(new EpisodeList(site, window, range.From, range.To, record.TimeZone, AbsenceEpisodes.Find(history, start, end, sources.Time.GetUtcNow())));
        }).WithSummary("The absence episodes of one window over a day, week or month, with their times and snapshots (the drill-down of a report row)");
        return app;
    }

    /// <summary>The reported windows of the visible sites.</summary>
    private static IEnumerable<(string SiteId, WindowConfigured Window)> WindowsOf(SeatStore seats, IReadOnlySet<string> visible) =>
        seats.AllWindows().Where(s => visible.Contains(s.Key)).SelectMany(s => s.Value.Select(w => (s.Key, w)));

    private static Results<TAnswer, ProblemHttpResult, NotFound> Run<TAnswer>(string scope, string id, string period, DateOnly date, Sources sources, Func<AttendanceReport.Report, TAnswer> answer)
        where TAnswer : IResult
    {
        if (AttendanceReport.Range(period, date) is not { } range)
        {
            return TypedResults.Problem("'period' must be day, week or month", statusCode: StatusCodes.Status400BadRequest);
        }

        var visible = sources.User.SiteIds();
        // A department is a set of windows across sites: those whose Recorder says they serve it.
        var departmentWindows = scope == "department"
            ? WindowsOf(sources.Seats, visible).Where(x => x.Window.Departments.Contains(id)).Select(x => (x.SiteId, x.Window.WindowId)).ToHashSet()
            : null;
        var chosen = scope switch
        {
            "site" => sources.Sites.All().Where(s => s.Id == id && visible.Contains(s.Id)).ToList(),
            "district" => sources.Sites.All().Where(s => s.District == id && visible.Contains(s.Id)).ToList(),
            "department" => sources.Sites.All().Where(s => departmentWindows!.Any(w => w.SiteId == s.Id)).ToList(),
            _ => null,
        };
        if (chosen is null)
        {
            return TypedResults.Problem("'scope' must be site, district or department", statusCode: StatusCodes.Status400BadRequest);
        }

        if (chosen.Count == 0)
        {
            return TypedResults.NotFound();
        }

        if (chosen.Count > AttendanceReport.MaxSites)
        {
            return TypedResults.Problem($"a report covers at most {AttendanceReport.MaxSites} sites; choose a smaller district", statusCode: StatusCodes.Status400BadRequest);
        }

        var include = departmentWindows is null ? null : new Func<string, string, bool>((site, window) => departmentWindows.Contains((site, window)));
        return answer(AttendanceReport.Build(chosen, period, range.From, range.To, sources.Events, sources.Ledger, sources.Seats, sources.Time.GetUtcNow(), include));
    }
}
