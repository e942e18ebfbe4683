using OpenCvSharp;
using ServiceHall.Eval;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The second signal's real models (face detector, pose model) on real frames of the clip set.</summary>
public sealed class PersonCheckTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private static readonly OccupancyOptions Defaults = new();

    /// <summary>The seat's colour crop of a clip's frame, as the analyser hands it to the models.</summary>
    private static (Mat Crop, SeatGeometry Seat) SeatCrop(string clip, double seconds)
    {
        using var frame = OccupancyFixture.Frame(clip, seconds);
        var seat = new SeatGeometry(OccupancyFixture.Seat, frame.Width, frame.Height, Defaults.CropMargin);
        return (new Mat(frame, seat.Crop).Clone(), seat);
    }

    [Theory]
    [InlineData("basic.mp4", 10, true)] // the clerk, facing the camera
    [InlineData("person-astronaut.mp4", 20, true)] // another person
    [InlineData("basic.mp4", 60, false)] // the empty booth
    [InlineData("animal-dog.mp4", 80, false)] // a dog on the chair
    [InlineData("animal-cat.mp4", 80, false)] // a cat's face
    public void FaceDetector_RealSeatCrop_FindsAFaceInTheSeatOnlyOnAPerson(string clip, double seconds, bool face)
    {
        var (crop, seat) = SeatCrop(clip, seconds);
        using var _ = crop;
        using var __ = seat;
        using var detector = new FaceDetector(OccupancyFixture.FaceModelPath);

        var best = detector.Best(crop, (x, y) => seat.Contains(x, y));

        Assert.True(best.Score >= Defaults.FaceThreshold == face, $"{clip} at {seconds} s: face score {best.Score:0.000}");
        if (face)
        {
            // The box is where the clerk's head is: in the upper half of the crop, a face-sized box.
            Assert.InRange(best.Y, 0.2, 0.6);
            Assert.InRange(best.Width, 0.1, 0.6);
        }
    }

    [Fact]
    public void PoseScorer_RealSeatCrop_PresenceHighOnTheClerkLowOnTheEmptyBooth()
    {
        var (clerk, seat) = SeatCrop("basic.mp4", 10);
        var (empty, seat2) = SeatCrop("basic.mp4", 60);
        using var _ = clerk;
        using var __ = empty;
        seat.Dispose();
        seat2.Dispose();
        using var pose = new PoseScorer(OccupancyFixture.PoseModelPath);

        var present = pose.Presence(clerk);
        var absent = pose.Presence(empty);

        Assert.True(present >= Defaults.PoseThreshold, $"clerk: pose presence {present:0.000}");
        Assert.True(absent < 0.5, $"empty booth: pose presence {absent:0.000}");
    }

    [Fact]
    public void PersonCheck_Dog_SegmentationSeesSomeoneButTheCheckFindsNoPerson()
    {
        var (crop, seat) = SeatCrop("animal-dog.mp4", 80);
        using var _ = crop;
        using var __ = seat;
        using var segmentation = new PersonScorer(OccupancyFixture.ModelPath);
        using var check = PersonCheck.Open(OccupancyFixture.Options())!;

        var share = segmentation.Score(crop, seat, Defaults.MaskThreshold).Share;
        var evidence = check.Check(crop, seat, pose: false);

        Assert.True(share >= Defaults.PresenceThreshold, $"share {share:0.000}: the dog no longer fools segmentation, pick another frame");
        Assert.False(evidence.Person, $"face {evidence.Face:0.000}");
        Assert.Equal((1, 0), (check.FaceRuns, check.PoseRuns));
    }

    [Fact]
    public void PersonCheck_FaceFound_PoseModelNotRun()
    {
        var (crop, seat) = SeatCrop("basic.mp4", 10);
        using var _ = crop;
        using var __ = seat;
        using var check = PersonCheck.Open(OccupancyFixture.Options())!;

        var evidence = check.Check(crop, seat, pose: true);

        Assert.True(evidence.Person);
        Assert.Null(evidence.Pose);
        Assert.Equal((1, 0), (check.FaceRuns, check.PoseRuns));
    }

    [Fact]
    public void PersonCheck_NoModelFiles_IsNotAvailable()
    {
        var options = new OccupancyOptions { FaceModelPath = "/nowhere/face.tflite", PoseModelPath = "" };

        Assert.False(PersonCheck.Available(options));
        Assert.Null(PersonCheck.Open(options));
    }

    [Fact]
    public void Analyse_Dog_SegmentationAloneCountsIt_WithTheSecondSignalNot()
    {
        using var frame = OccupancyFixture.Frame("animal-dog.mp4", 80);
        var windows = new[] { new WindowOptions { Id = "w01", Seat = OccupancyFixture.Seat } };
        using var single = new CameraAnalyser("cam-1", windows, OccupancyFixture.SingleSignalOptions(), new ScheduleOptions().Build());
        using var both = new CameraAnalyser("cam-1", windows, OccupancyFixture.Options(), new ScheduleOptions().Build());

        var alone = Assert.Single(single.Analyse(OccupancyFixture.ToFrame(frame, T0), T0));
        var combined = Assert.Single(both.Analyse(OccupancyFixture.ToFrame(frame, T0), T0));

        Assert.True(single.SingleSignal);
        Assert.True(alone.Present, $"share {alone.Score.Share:0.000}");
        Assert.Null(alone.Evidence);
        Assert.False(both.SingleSignal);
        Assert.False(combined.Present);
        Assert.False(combined.Evidence!.Value.Person);
        Assert.Equal(1, both.PersonModelRuns.Face);
    }

    [Fact]
    public void Analyse_ClerkArrives_ConfirmedOnTheSameFrame_NotAskedAgainUntilTheConfirmationIsDue()
    {
        using var frame = OccupancyFixture.Frame("basic.mp4", 10);
        var windows = new[] { new WindowOptions { Id = "w01", Seat = OccupancyFixture.Seat } };
        using var analyser = new CameraAnalyser("cam-1", windows, OccupancyFixture.Options(), new ScheduleOptions().Build());

        var first = Assert.Single(analyser.Analyse(OccupancyFixture.ToFrame(frame, T0), T0));
        for (var s = 1; s < 60; s++)
        {
            Assert.True(Assert.Single(analyser.Analyse(OccupancyFixture.ToFrame(frame, T0.AddSeconds(s)), T0.AddSeconds(s))).Present);
        }

        Assert.True(first.Present);
        Assert.Equal(1, analyser.PersonModelRuns.Face);
        analyser.Analyse(OccupancyFixture.ToFrame(frame, T0.AddSeconds(60)), T0.AddSeconds(60));
        Assert.Equal(2, analyser.PersonModelRuns.Face);
    }

    [Fact]
    public async Task Run_MonitorClip_SegmentationLosesTheClerkBehindTheMonitor_TheFaceInTheSeatHoldsThePresence()
    {
        var clip = ClipLabels.Load(OccupancyFixture.Clip("monitor.labels.json"));

        var both = await ClipRunner.RunAsync(clip, OccupancyFixture.Options(), new CaptureOptions());
        var single = await ClipRunner.RunAsync(clip, OccupancyFixture.SingleSignalOptions(), new CaptureOptions());

        // Seconds in which the clerk sits behind the monitor and the segmentation alone says nobody is there.
        var labels = clip.Windows[0];
        var lost = single.Windows[0].Frames.Where(f => labels.IsPresent(f.T + 1) && labels.IsPresent(f.T - 1) && !f.Present).Select(f => f.T).ToList();
        Assert.True(lost.Count >= 3, $"the segmentation lost the clerk in only {lost.Count} frames");
        Assert.All(both.Windows[0].Frames.Where(f => lost.Contains(f.T)), f => Assert.True(f.Present, $"t={f.T} share {f.Share:0.000}"));
        Assert.Contains(both.Windows[0].Evidence, e => lost.Contains(e.T) && e.Evidence.Person);
    }
}
