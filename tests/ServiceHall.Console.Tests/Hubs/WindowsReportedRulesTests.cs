using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Hubs;

/// <summary>What the Console accepts as a Recorder's window report.</summary>
public sealed class WindowsReportedRulesTests
{
    private static WindowConfigured Window(string id = "w01", List<double[]>? seat = null, List<string>? departments = null) =>
        new("cam-1", id, "一号窗口", departments ?? ["社保"], seat ?? [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8]], 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5));

    [Fact]
    public void Check_AGoodReport_IsFine() => Assert.Null(RecorderMessageRules.Check(new WindowsReported([Window(), Window("w02")])));

    [Fact]
    public void Check_BadReports_SayWhy()
    {
        Assert.Equal("windows missing or more than 256", RecorderMessageRules.Check((WindowsReported?)null));
        Assert.Equal("windows missing or more than 256", RecorderMessageRules.Check(new WindowsReported([.. Enumerable.Range(0, 257).Select(i => Window($"w{i}"))])));
        Assert.Equal("camera or window id is not a slug", RecorderMessageRules.Check(new WindowsReported([Window("W 1")])));
        Assert.Equal("window w01: seat points must be [x, y] between 0 and 1", RecorderMessageRules.Check(new WindowsReported([Window(seat: [[0.1, 1.2], [0.4, 0.2], [0.4, 0.8]])])));
        Assert.Equal("window w01: name or departments missing or too long", RecorderMessageRules.Check(new WindowsReported([Window(departments: [""])])));
        Assert.Equal("window w01: closedDays:0 '12/01/2026' must be a date like 2026-10-01.", RecorderMessageRules.Check(new WindowsReported([Window() with { ClosedDays = ["12/01/2026"] }])));
        Assert.StartsWith("schedule", RecorderMessageRules.Check(new WindowsReported([Window()], new HallHours("Mars/Olympus", ["09:00-12:00"], [DayOfWeek.Monday], [], []))), StringComparison.Ordinal);
        Assert.StartsWith("schedule", RecorderMessageRules.Check(new WindowsReported([Window()], new HallHours("Asia/Shanghai", ["25:00-12:00"], [DayOfWeek.Monday], [], []))), StringComparison.Ordinal);
        Assert.StartsWith("schedule: lists missing", RecorderMessageRules.Check(new WindowsReported([Window()], new HallHours("Asia/Shanghai", null!, [], [], []))), StringComparison.Ordinal);
    }
}
