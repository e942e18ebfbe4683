using System.Security.Claims;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;

namespace ServiceHall.Console.Attendance;

/// <summary>Attendance reports for the monthly assessment: JSON for the page, CSV for the spreadsheet.</summary>
public static class AttendanceEndpoints
{
    public static IEndpointRouteBuilder MapAttendanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/attendance").RequireAuthorization();
        group.MapGet("/report", (string scope, string id, string period, DateOnly date, ClaimsPrincipal user, Visibility visibility, SiteStore sites, EventStore events, TimeProvider time) =>
            Run(scope, id, period, date, user, visibility, sites, events, time, report => Results.Ok(report)))
            .WithSummary("Per window over a day, week or month of a site or district: staffed rate, absences, unknown minutes, ranked");
        group.MapGet("/report.csv", (string scope, string id, string period, DateOnly date, string? lang, ClaimsPrincipal user, Visibility visibility, SiteStore sites, EventStore events, TimeProvider time) =>
            Run(scope, id, period, date, user, visibility, sites, events, time, report =>
                Results.File(AttendanceReport.Csv(report, lang == "en"), "text/csv; charset=utf-8", $"attendance-{scope}-{id}-{period}-{report.From:yyyy-MM-dd}.csv")))
            .WithSummary("The same report as CSV (UTF-8 with BOM); lang=en for English headers");
        return app;
    }

    private static IResult Run(
        string scope, string id, string period, DateOnly date, ClaimsPrincipal user, Visibility visibility, SiteStore sites, EventStore events, TimeProvider time,
        Func<AttendanceReport.Report, IResult> answer)
    {
        if (AttendanceReport.Range(period, date) is not { } range)
        {
            return Results.Problem("'period' must be day, week or month", statusCode: StatusCodes.Status400BadRequest);
        }

        var visible = visibility.SiteIds(user);
        var chosen = scope switch
        {
            "site" => sites.All().Where(s => s.Id == id && visible.Contains(s.Id)).ToList(),
            "district" => sites.All().Where(s => s.District == id && visible.Contains(s.Id)).ToList(),
            _ => null,
        };
        if (chosen is null)
        {
            return Results.Problem("'scope' must be site or district", statusCode: StatusCodes.Status400BadRequest);
        }

        if (chosen.Count == 0)
        {
            return Results.NotFound();
        }

        if (chosen.Count > AttendanceReport.MaxSites)
        {
            return Results.Problem($"a report covers at most {AttendanceReport.MaxSites} sites; choose a smaller district", statusCode: StatusCodes.Status400BadRequest);
        }

        return answer(AttendanceReport.Build(chosen, period, range.From, range.To, events, time.GetUtcNow()));
    }
}
