using ServiceHall.Recorder.Occupancy;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The combination rule: when the second signal must look, and what a stay counts as.</summary>
public sealed class PersonConfirmationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void Due_SegmentationSeesNobody_NeverAsksAndIsNotConfirmed()
    {
        var rule = new PersonConfirmation(Interval);

        Assert.False(rule.Due(false, At(0)));
        Assert.False(rule.Due(false, At(100)));
        Assert.False(rule.Confirmed);
    }

    [Fact]
    public void Due_PersonConfirmed_AsksAgainOnlyWhenTheConfirmationIsDue()
    {
        var rule = new PersonConfirmation(Interval);

        Assert.True(rule.Due(true, At(0)));
        rule.Checked(true, At(0));
        Assert.True(rule.Confirmed);

        Assert.False(rule.Due(true, At(1)));
        Assert.False(rule.Due(true, At(59)));
        Assert.True(rule.Due(true, At(60)));
    }

    [Fact]
    public void Checked_NoPersonInANewStay_NotConfirmed_RetriesBackOffToTheInterval()
    {
        var rule = new PersonConfirmation(TimeSpan.FromSeconds(8));
        var asked = new List<double>();
        for (var t = 0; t <= 40; t++)
        {
            if (rule.Due(true, At(t)))
            {
                asked.Add(t);
                rule.Checked(false, At(t));
            }

            Assert.False(rule.Confirmed);
        }

        // 1, 2, 4 s apart, then every 8 s (the interval): a dog asleep on the chair costs a few checks.
        Assert.Equal([0, 1, 3, 7, 15, 23, 31, 39], asked);
    }

    [Fact]
    public void Checked_ConfirmedPersonMissedOnce_StaysConfirmed_AskedAgainNextSecond()
    {
        var rule = new PersonConfirmation(Interval);
        rule.Due(true, At(0));
        rule.Checked(true, At(0));

        Assert.True(rule.Due(true, At(60)));
        rule.Checked(false, At(60));

        Assert.True(rule.Confirmed);
        Assert.True(rule.Due(true, At(61)));
        rule.Checked(true, At(61));
        Assert.True(rule.Confirmed);
        Assert.False(rule.Due(true, At(62)));
    }

    [Fact]
    public void Checked_ConfirmedPersonMissedTwiceInARow_NoLongerConfirmed()
    {
        var rule = new PersonConfirmation(Interval);
        rule.Due(true, At(0));
        rule.Checked(true, At(0));

        rule.Due(true, At(60));
        rule.Checked(false, At(60));
        rule.Due(true, At(61));
        rule.Checked(false, At(61));

        Assert.False(rule.Confirmed);
    }

    [Fact]
    public void Due_SeatEmptiesAndFillsAgain_ANewStayIsCheckedAtOnce()
    {
        var rule = new PersonConfirmation(Interval);
        rule.Due(true, At(0));
        rule.Checked(true, At(0));

        Assert.False(rule.Due(false, At(5)));
        Assert.False(rule.Confirmed);

        // Whatever sits down now (a clerk or a dog) is asked about before it counts.
        Assert.True(rule.Due(true, At(6)));
        Assert.False(rule.Confirmed);
    }

    [Fact]
    public void Reset_ForgetsTheStay()
    {
        var rule = new PersonConfirmation(Interval);
        rule.Due(true, At(0));
        rule.Checked(true, At(0));

        rule.Reset();

        Assert.False(rule.Confirmed);
        Assert.True(rule.Due(true, At(1)));
    }
}
