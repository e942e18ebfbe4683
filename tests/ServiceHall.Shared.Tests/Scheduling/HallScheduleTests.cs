using Microsoft.Extensions.Time.Testing;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Shared.Tests.Scheduling;

public sealed class HallScheduleTests
{
    private static HallSchedule Shanghai(params string[] holidaysThenMakeUp) => new ScheduleOptions
    {
        Holidays = [.. holidaysThenMakeUp.Where(d => d.StartsWith('H')).Select(d => d[1..])],
        MakeUpDays = [.. holidaysThenMakeUp.Where(d => d.StartsWith('M')).Select(d => d[1..])],
    }.Build();

    private static DateTimeOffset Local(int y, int mo, int d, int h, int mi, double offsetHours) =>
        new(y, mo, d, h, mi, 0, TimeSpan.FromHours(offsetHours));

    [Fact]
    public void FakeClockThroughAWorkingDay_OpenInHoursClosedAtLunchAndNight()
    {
        var schedule = Shanghai();
        // 2026-11-26 is a Thursday.
        var clock = new FakeTimeProvider(Local(2026, 11, 26, 8, 59, 8));
        var open = new List<string>();
        for (var i = 0; i < 10 * 60; i++)
        {
            if (schedule.IsOpen(clock))
            {
                open.Add(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), schedule.Zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            }

            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal("09:00", open[0]);
        Assert.Contains("11:59", open);
        Assert.DoesNotContain("12:00", open);
        Assert.DoesNotContain("13:29", open);
        Assert.Contains("13:30", open);
        Assert.Equal("16:59", open[^1]);
        Assert.Equal((3 * 60) + (3 * 60) + 30, open.Count);
    }

    [Fact]
    public void Weekend_IsClosed_UnlessMakeUpDay()
    {
        // 2026-11-28 is a Saturday.
        var saturdayTen = Local(2026, 11, 28, 10, 0, 8);

        Assert.False(Shanghai().IsOpen(saturdayTen));
        Assert.True(Shanghai("M2026-11-28").IsOpen(saturdayTen));
        Assert.Equal(TimeSpan.FromHours(6.5), Shanghai("M2026-11-28").ScheduledDuration(new DateOnly(2026, 11, 28)));
    }

    [Fact]
    public void Holiday_IsClosedOnAWorkDay()
    {
        var schedule = Shanghai("H2026-10-01");

        Assert.False(schedule.IsOpen(Local(2026, 10, 1, 10, 0, 8)));
        Assert.True(schedule.IsOpen(Local(2026, 10, 9, 10, 0, 8)));
        Assert.Equal(TimeSpan.Zero, schedule.ScheduledDuration(new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void WindowClosedDay_OverridesAnOpenHall()
    {
        var schedule = Shanghai();
        var closed = new HashSet<DateOnly> { new(2026, 11, 26) };

        Assert.True(schedule.IsOpen(Local(2026, 11, 26, 10, 0, 8)));
        Assert.False(schedule.IsOpen(Local(2026, 11, 26, 10, 0, 8), closed));
        Assert.True(schedule.IsOpen(Local(2026, 11, 27, 10, 0, 8), closed));
    }

    [Fact]
    public void LocalDay_FollowsTheHallZoneNotUtc()
    {
        // 17:30 UTC on the 26th is 01:30 on the 27th in Shanghai.
        Assert.Equal(new DateOnly(2026, 11, 27), Shanghai().LocalDay(new DateTimeOffset(2026, 11, 26, 17, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void DaylightSavingZone_SpringForwardSkipsTheMissingHour()
    {
        // Europe/Berlin jumps 02:00 -> 03:00 on Sunday 2026-03-29; a hall open 01:00-04:00 is open two real hours.
        var schedule = new ScheduleOptions { TimeZone = "Europe/Berlin", Hours = ["01:00-04:00"], WorkDays = [DayOfWeek.Sunday] }.Build();
        var day = new DateOnly(2026, 3, 29);

        Assert.Equal(TimeSpan.FromHours(2), schedule.ScheduledDuration(day));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero)); // 01:30 CET
        Assert.True(schedule.IsOpen(clock));
        clock.Advance(TimeSpan.FromHours(1)); // 03:30 CEST
        Assert.True(schedule.IsOpen(clock));
        clock.Advance(TimeSpan.FromHours(1)); // 04:30 CEST
        Assert.False(schedule.IsOpen(clock));
    }

    [Fact]
    public void DaylightSavingZone_FallBackCountsTheRepeatedHourOnce_AndOfficeHoursStayLocal()
    {
        // Europe/Berlin repeats 02:00-03:00 on Sunday 2026-10-25.
        var night = new ScheduleOptions { TimeZone = "Europe/Berlin", Hours = ["01:00-04:00"], WorkDays = [DayOfWeek.Sunday] }.Build();
        Assert.Equal(TimeSpan.FromHours(4), night.ScheduledDuration(new DateOnly(2026, 10, 25)));

        // Office hours open at 09:00 local on both sides of the change, i.e. at different UTC hours.
        var office = new ScheduleOptions { TimeZone = "Europe/Berlin", WorkDays = [DayOfWeek.Friday, DayOfWeek.Monday] }.Build();
        Assert.Equal(new DateTimeOffset(2026, 10, 23, 7, 0, 0, TimeSpan.Zero), office.OpenIntervals(new DateOnly(2026, 10, 23))[0].Start);
        Assert.Equal(new DateTimeOffset(2026, 10, 26, 8, 0, 0, TimeSpan.Zero), office.OpenIntervals(new DateOnly(2026, 10, 26))[0].Start);
    }

    [Fact]
    public void OpenOverlap_SpansLunchAndDays()
    {
        var schedule = Shanghai();

        // Thursday 11:00 to Friday 10:00: 1 h + 3.5 h on Thursday, 1 h on Friday.
        Assert.Equal(TimeSpan.FromHours(5.5), schedule.OpenOverlap(Local(2026, 11, 26, 11, 0, 8), Local(2026, 11, 27, 10, 0, 8)));
    }

    [Fact]
    public void Check_NamesEveryBadKey()
    {
        var errors = new ScheduleOptions
        {
            TimeZone = "Mars/Olympus",
            Hours = ["09:00-12:00", "11:00-13:00", "17:00-09:00"],
            Holidays = ["2026-13-01"],
            MakeUpDays = ["soon"],
        }.Check("Occupancy:Schedule").ToList();

        Assert.Contains("Occupancy:Schedule:TimeZone 'Mars/Olympus' is not a known time zone.", errors);
        Assert.Contains(errors, e => e.StartsWith("Occupancy:Schedule:Hours:2 '17:00-09:00'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Occupancy:Schedule:Hours 09:00-12:00 and 11:00-13:00 overlap", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Occupancy:Schedule:Holidays:0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Occupancy:Schedule:MakeUpDays:0", StringComparison.Ordinal));
        Assert.Empty(new ScheduleOptions().Check("x"));
    }
}
