using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>The seat rules both ends apply, and the seat messages' JSON, which older Recorders must keep reading.</summary>
public sealed class SeatPolygonTests
{
    private static readonly JsonSerializerOptions Readable = new(WireJson.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly List<double[]> Square = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.5], [0.1, 0.5]];

    [Fact]
    public void Check_ASimpleQuadrilateral_IsFine() => Assert.Null(SeatPolygon.Check(Square));

    [Fact]
    public void Check_AConcaveButSimplePolygon_IsFine() =>
        Assert.Null(SeatPolygon.Check([[0.1, 0.1], [0.5, 0.1], [0.3, 0.3], [0.5, 0.5], [0.1, 0.5]]));

    [Theory]
    [InlineData("[[0.1,0.1],[0.4,0.1]]", "at least 3 points")]
    [InlineData("[[0.1,0.1],[1.2,0.1],[0.4,0.5]]", "point 2 must be [x, y] with both between 0 and 1")]
    [InlineData("[[0.1,-0.01],[0.4,0.1],[0.4,0.5]]", "point 1 must be")]
    [InlineData("[[0.1,0.1],[0.4,0.1,0.3],[0.4,0.5]]", "point 2 must be")]
    [InlineData("[[0.1,0.1],[0.4,0.5],[0.4,0.1],[0.1,0.5]]", "edges 1 and 3 cross")]
    [InlineData("[[0.1,0.1],[0.2,0.2],[0.3,0.3]]", "too small")]
    public void Check_BadPolygon_SaysWhy(string json, string expected)
    {
        var seat = JsonSerializer.Deserialize<List<double[]>>(json)!;
        Assert.Contains(expected, SeatPolygon.Check(seat), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TooManyPoints_IsRefused()
    {
        var circle = Enumerable.Range(0, SeatPolygon.MaxPoints + 1)
            .Select(i => new[] { 0.5 + (0.3 * Math.Cos(i * 2 * Math.PI / (SeatPolygon.MaxPoints + 1))), 0.5 + (0.3 * Math.Sin(i * 2 * Math.PI / (SeatPolygon.MaxPoints + 1))) })
            .ToList();
        Assert.Equal($"a seat has at most {SeatPolygon.MaxPoints} points", SeatPolygon.Check(circle));
        Assert.Null(SeatPolygon.Check(circle[..SeatPolygon.MaxPoints]));
    }

    [Fact]
    public void SeatChangeRequested_HasPinnedShape() =>
        Assert.Equal(
            """{"changeId":"c1","cameraId":"cam-1","windowId":"w01","seat":[[0.1,0.1],[0.4,0.1],[0.4,0.5],[0.1,0.5]],"requestedBy":"admin"}""",
            JsonSerializer.Serialize(new SeatChangeRequested("c1", "cam-1", "w01", Square, "admin"), WireJson.Options));

    [Fact]
    public void SeatChangeApplied_HasPinnedShape() =>
        Assert.Equal(
            """{"changeId":"c1","cameraId":"cam-1","windowId":"w01","applied":false,"reason":"no such window"}""",
            JsonSerializer.Serialize(new SeatChangeApplied("c1", "cam-1", "w01", false, "no such window"), WireJson.Options));

    [Fact]
    public void WindowsReported_HasPinnedShape() =>
        Assert.Equal(
            """{"windows":[{"cameraId":"cam-1","windowId":"w01","name":"1号窗口","departments":["社保","医保"],"seat":[[0.1,0.1],[0.4,0.1],[0.4,0.5],[0.1,0.5]],"headcount":1,"entryDebounce":"00:00:05","exitDebounce":"00:00:20","leaveThreshold":"00:05:00","closedDays":["2026-12-01"]}],"schedule":{"timeZone":"Asia/Shanghai","hours":["09:00-12:00","13:30-17:00"],"workDays":[1,2,3,4,5],"holidays":["2027-01-01"],"makeUpDays":[]}}""",
            JsonSerializer.Serialize(
                new WindowsReported(
                    [new WindowConfigured("cam-1", "w01", "1号窗口", ["社保", "医保"], Square, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5), ["2026-12-01"])],
                    HallHours.From(new ServiceHall.Shared.Scheduling.ScheduleOptions { Holidays = ["2027-01-01"] })),
                Readable));

    [Fact]
    public void WindowConfigured_CarriesTheInactiveThreshold_WhenTheRecorderKnowsIt()
    {
        var window = new WindowConfigured("cam-1", "w01", "1", [], Square, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5), [], TimeSpan.FromMinutes(10));

        var json = JsonSerializer.Serialize(window, WireJson.Options);

        Assert.EndsWith(""","closedDays":[],"inactiveThreshold":"00:10:00"}""", json, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(10), JsonSerializer.Deserialize<WindowConfigured>(json, WireJson.Options)!.InactiveThreshold);
    }

    [Fact]
    public void SiteSeatsChanged_HasPinnedShape()
    {
        var at = new DateTimeOffset(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);
        var change = new SeatChangeView("c1", "cam-1", "w01", Square, SeatChangeStates.Refused, "admin", at, at, "no window");
        Assert.Equal(
            """{"siteId":"hall-a","reportedAt":"2026-11-26T01:02:03+00:00","windows":[],"changes":[{"changeId":"c1","cameraId":"cam-1","windowId":"w01","seat":[[0.1,0.1],[0.4,0.1],[0.4,0.5],[0.1,0.5]],"state":"Refused","requestedBy":"admin","requestedAt":"2026-11-26T01:02:03+00:00","answeredAt":"2026-11-26T01:02:03+00:00","reason":"no window"}]}""",
            JsonSerializer.Serialize(new SiteSeatsChanged("hall-a", at, [], [change]), WireJson.Options));
    }
}
