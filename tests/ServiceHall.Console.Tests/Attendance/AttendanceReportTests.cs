using System.Globalization;
using System.Net;
using System.Text;
using ServiceHall.Console.Attendance;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Attendance;

public sealed class AttendanceReportTests
{
    [Theory]
    [InlineData("day", "2026-11-26", "2026-11-26", "2026-11-26")]
    [InlineData("week", "2026-11-26", "2026-11-23", "2026-11-29")]
    [InlineData("week", "2026-11-29", "2026-11-23", "2026-11-29")]
    [InlineData("month", "2026-02-10", "2026-02-01", "2026-02-28")]
    public void Range_CoversTheLocalDaysOfThePeriod(string period, string date, string from, string to) =>
        Assert.Equal((DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture)), AttendanceReport.Range(period, DateOnly.Parse(date, CultureInfo.InvariantCulture)));

    [Fact]
    public void Csv_QuotesSeparatorsAndDefusesFormulas_WithABom()
    {
        var report = new AttendanceReport.Report("day", new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 26),
            [new AttendanceReport.WindowRow(1, "hall-a", "=HYPERLINK(\"x\")", "顺庆区,北", "w01", 0.5, 2, 12.25, 3, 0, 390, 195, 1, 7.5)]);

        var bytes = AttendanceReport.Csv(report, english: true);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal("rank,site_id,site,district,window,staffed_rate_pct,absences,absence_minutes,away_minutes,unknown_minutes,scheduled_minutes,staffed_minutes,provisional_days,inactive_minutes", lines[0]);
        Assert.Equal("1,hall-a,\"'=HYPERLINK(\"\"x\"\")\",\"顺庆区,北\",w01,50.0,2,12.3,3.0,0.0,390.0,195.0,1,7.5", lines[1]);
    }

    [Fact]
    public async Task Report_RefusesAnUnknownPeriodOrScope_AndHidesSitesTheUserMayNotSee()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-a", "甲", "d1");
        server.AddSite("hall-b", "乙", "d2");
        using var supervisor = await server.SignedInUserAsync("wang", ServiceHall.Console.Auth.Roles.Supervisor, "d1");

        var badPeriod = await supervisor.Http.GetAsync("/api/attendance/report?scope=site&id=hall-a&period=year&date=2026-11-26");
        var badScope = await supervisor.Http.GetAsync("/api/attendance/report?scope=city&id=x&period=day&date=2026-11-26");
        var hidden = await supervisor.Http.GetAsync("/api/attendance/report.csv?scope=site&id=hall-b&period=day&date=2026-11-26");
        var own = await supervisor.Http.GetAsync("/api/attendance/report?scope=district&id=d1&period=month&date=2026-11-26");

        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        Assert.Contains("day, week or month", await badPeriod.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("\"from\":\"2026-11-01\"", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
