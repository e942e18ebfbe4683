using Microsoft.Extensions.Configuration;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The configuration binder appends to lists: a hall's own hours must replace the defaults, not join them.</summary>
public sealed class ScheduleBindingTests
{
    [Fact]
    public void Bind_ConfiguredHoursAndDays_ReplaceTheDefaults()
    {
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Schedule:Hours:0"] = "08:30-12:00",
                ["Schedule:WorkDays:0"] = "Saturday",
            })
            .Build()
            .GetSection("Schedule")
            .Get<ScheduleOptions>()!;

        Assert.Equal(["08:30-12:00"], options.EffectiveHours);
        Assert.Equal([DayOfWeek.Saturday], options.EffectiveWorkDays);
        Assert.Empty(options.Check("Schedule"));
    }

    [Fact]
    public void Unconfigured_UsesWeekdayHoursWithALunchBreak()
    {
        var options = new ScheduleOptions();

        Assert.Equal(["09:00-12:00", "13:30-17:00"], options.EffectiveHours);
        Assert.Equal(5, options.EffectiveWorkDays.Count);
    }
}
