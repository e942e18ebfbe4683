using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The real segmentation model on real frames of the clip set.</summary>
public sealed class CameraAnalyserTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static CameraAnalyser Analyser() =>
        new("cam-1", [new WindowOptions { Id = "w01", Seat = OccupancyFixture.Seat }], OccupancyFixture.Options(), new ScheduleOptions().Build());

    [Theory]
    [InlineData("basic.mp4", 10, true)]
    [InlineData("basic.mp4", 60, false)]
    [InlineData("citizen-at-counter.mp4", 50, false)]
    [InlineData("coat-on-chair.mp4", 60, false)]
    [InlineData("partial-occlusion.mp4", 60, true)]
    public void Analyse_RealFrame_JudgesTheSeat(string clip, double seconds, bool expected)
    {
        using var analyser = Analyser();
        using var frame = OccupancyFixture.Frame(clip, seconds);

        var result = Assert.Single(analyser.Analyse(OccupancyFixture.ToFrame(frame, T0), T0));

        Assert.True(result.Present == expected, $"{clip} at {seconds} s: share {result.Score.Share:0.000}");
        Assert.Equal(1, analyser.ModelRuns);
    }

    [Fact]
    public void Analyse_UnchangedCrop_CarriesTheScoreUntilConfirmationIsDue()
    {
        using var analyser = Analyser();
        using var frame = OccupancyFixture.Frame("basic.mp4", 10);

        analyser.Analyse(OccupancyFixture.ToFrame(frame, T0), T0);
        var carried = analyser.Analyse(OccupancyFixture.ToFrame(frame, T0.AddSeconds(1)), T0.AddSeconds(1));
        Assert.Equal(1, analyser.ModelRuns);
        Assert.True(carried[0].Present);

        analyser.Analyse(OccupancyFixture.ToFrame(frame, T0.AddSeconds(11)), T0.AddSeconds(11));
        Assert.Equal(2, analyser.ModelRuns);
    }

    [Fact]
    public void Analyse_ChangedCrop_RunsTheModelAgain()
    {
        using var analyser = Analyser();
        using var present = OccupancyFixture.Frame("basic.mp4", 10);
        using var empty = OccupancyFixture.Frame("basic.mp4", 60);

        analyser.Analyse(OccupancyFixture.ToFrame(present, T0), T0);
        analyser.Analyse(OccupancyFixture.ToFrame(empty, T0.AddSeconds(1)), T0.AddSeconds(1));
        Assert.Equal(2, analyser.ModelRuns);

        // The same empty crop again is carried, and the median of three frames now says empty.
        var result = analyser.Analyse(OccupancyFixture.ToFrame(empty, T0.AddSeconds(2)), T0.AddSeconds(2));
        Assert.Equal(2, analyser.ModelRuns);
        Assert.False(result[0].Present);
    }

    [Theory]
    [InlineData(1, true)] // at the analysis rate one odd frame is outvoted by the median of three
    [InlineData(2, false)] // a 2 s GOP's key frames are each judged alone: the median would hold a departure 2 s more
    public void Analyse_OneEmptyFrameAfterTwoPresent_IsSmoothedOnlyAtTheAnalysisRate(int secondsApart, bool expected)
    {
        using var analyser = Analyser();
        using var present = OccupancyFixture.Frame("basic.mp4", 10);
        using var empty = OccupancyFixture.Frame("basic.mp4", 60);

        analyser.Analyse(OccupancyFixture.ToFrame(present, T0), T0);
        var second = T0.AddSeconds(secondsApart);
        analyser.Analyse(OccupancyFixture.ToFrame(present, second), second);
        var third = T0.AddSeconds(2 * secondsApart);
        var result = analyser.Analyse(OccupancyFixture.ToFrame(empty, third), third);

        Assert.True(result[0].Present == expected, $"share {result[0].Score.Share:0.000}");
    }

    [Fact]
    public void Analyse_DecisivelyPresent_ClerkMovingIsCarriedWithoutTheModel()
    {
        var (runs, first, second, change) = AnalyseTwoSecondsOf("basic.mp4", 10);

        Assert.True(first.Score.Share >= 2 * Defaults.PresenceThreshold, $"share {first.Score.Share}");
        Assert.InRange(change, Defaults.ChangeThreshold, Defaults.DecisiveChangeThreshold);
        Assert.Equal(1, runs);
        Assert.True(second.Present);
    }

    [Fact]
    public void Analyse_UndecidedScore_TheSameModerateChangeRunsTheModel()
    {
        // The half-hidden clerk scores near the presence threshold, so a change too small to matter above counts here.
        var (runs, first, _, change) = AnalyseTwoSecondsOf("partial-occlusion.mp4", 31);

        Assert.InRange(first.Score.Share, Defaults.PresenceThreshold / 3, 2 * Defaults.PresenceThreshold);
        Assert.InRange(change, Defaults.ChangeThreshold, Defaults.DecisiveChangeThreshold);
        Assert.Equal(2, runs);
    }

    private static readonly OccupancyOptions Defaults = new();

    /// <summary>Analyses the frames at <paramref name="seconds"/> and one second later; also returns the gate's change between their seat crops.</summary>
    private static (long Runs, SeatResult First, SeatResult Second, double Change) AnalyseTwoSecondsOf(string clip, double seconds)
    {
        using var analyser = Analyser();
        using var a = OccupancyFixture.Frame(clip, seconds);
        using var b = OccupancyFixture.Frame(clip, seconds + 1);
        var frameA = OccupancyFixture.ToFrame(a, T0);
        var frameB = OccupancyFixture.ToFrame(b, T0.AddSeconds(1));
        var first = Assert.Single(analyser.Analyse(frameA, T0));
        var second = Assert.Single(analyser.Analyse(frameB, T0.AddSeconds(1)));

        // The gate sees what the analyser gives it: the grey (Y) plane of the seat's crop.
        using var seat = new SeatGeometry(OccupancyFixture.Seat, a.Width, a.Height, Defaults.CropMargin);
        using var gate = new ChangeGate(TimeSpan.FromHours(1));
        using var greyA = frameA.Grey();
        using var greyB = frameB.Grey();
        using var cropA = new Mat(greyA, seat.Crop);
        using var cropB = new Mat(greyB, seat.Crop);
        gate.ChangeFromScored(cropA);
        gate.Scored(T0);
        return (analyser.ModelRuns, first, second, gate.ChangeFromScored(cropB));
    }

    [Fact]
    public void SeatSnapshot_IsAJpegOfTheFrameWithTheSeatDrawn()
    {
        using var frame = OccupancyFixture.Frame("basic.mp4", 60);
        using var seat = new SeatGeometry(OccupancyFixture.Seat, frame.Width, frame.Height, 0.25);

        var jpeg = SeatSnapshot.Encode(frame, seat, WindowState.Unstaffed);

        using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Assert.Equal(frame.Size(), decoded.Size());
        // The outline is red where the seat's top-left corner is.
        var corner = decoded.At<Vec3b>(seat.Polygon[0].Y, seat.Polygon[0].X);
        Assert.True(corner.Item2 > 150 && corner.Item0 < 120, $"corner pixel {corner.Item0},{corner.Item1},{corner.Item2}");
    }
}
