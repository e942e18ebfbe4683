using ServiceHall.BoxBenchmark;

namespace ServiceHall.Recorder.Tests.BoxBench;

/// <summary>The box benchmark's arithmetic: CPU from /proc stat samples and cameras per box at 70 %.</summary>
public sealed class BoxFiguresTests
{
    [Fact]
    public void Parse_ReadsCpuTicksParentAndRss_EvenWithSpacesAndParenthesesInTheCommand()
    {
        // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime priority nice threads itrealvalue starttime vsize rss ...
        var stat = "4242 (ffmpeg (x) y) S 17 4242 4242 0 -1 4194304 100 0 0 0 250 50 7 3 20 0 4 0 9000 123456789 2048 18446744073709551615";

        var sample = ProcSample.Parse(stat);

        Assert.Equal(new ProcSample(4242, "ffmpeg (x) y", 17, 300, 2048), sample);
    }

    [Fact]
    public void TicksUsed_CountsIncreases_AProcessStartedInBetweenWhole_AndOneGoneUpToItsLastReading()
    {
        var first = new Dictionary<int, long> { [1] = 1000, [2] = 500 };
        // 1 ran on (+600); 2 stopped after reaching 700 (+200, kept by the merge); 3 is a restart with 150 ticks.
        var last = new Dictionary<int, long> { [1] = 1600, [2] = 700, [3] = 150 };

        Assert.Equal(950, BoxFigures.TicksUsed(first, last));
    }

    [Theory]
    [InlineData(6000, 60, 8, 12.5)] // 60 CPU-seconds over 60 s for 8 cameras: 1/8 of a core each
    [InlineData(1200, 60, 1, 20)]
    public void CorePercentPerCamera_IsCpuSecondsOverWallSecondsPerCamera(long ticks, double seconds, int cameras, double expected) =>
        Assert.Equal(expected, BoxFigures.CorePercentPerCamera(ticks, seconds, cameras), 6);

    [Theory]
    [InlineData(2.1875, 64)] // 140 % of a core (70 % of 2) / 2.1875 % = exactly 64: the boundary counts
    [InlineData(2.2, 63)]
    [InlineData(25.89, 5)]
    [InlineData(140, 1)]
    [InlineData(141, 0)]
    [InlineData(0, 0)]
    public void CamerasAt_FillsTwoCoresTo70Percent(double percentPerCamera, int expected) =>
        Assert.Equal(expected, BoxFigures.CamerasAt(percentPerCamera));

    [Fact]
    public void BytesPerCameraHour_ScalesTheWindowToAnHourPerCamera() =>
        Assert.Equal(1.8e9, BoxFigures.BytesPerCameraHour(240_000_000, 60, 8), 3);
}
