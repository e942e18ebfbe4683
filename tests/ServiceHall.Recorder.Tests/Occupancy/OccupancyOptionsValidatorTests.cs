using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;

namespace ServiceHall.Recorder.Tests.Occupancy;

public sealed class OccupancyOptionsValidatorTests
{
    private static CaptureOptions Capture(WindowOptions window) => new()
    {
        Cameras = [new CameraOptions { Id = "cam-1", Url = "/dev/null", Windows = [window] }],
    };

    [Fact]
    public void Check_MissingModelWithWindows_NamesModelPath()
    {
        var errors = OccupancyOptionsValidator.Check(new OccupancyOptions { ModelPath = "/nowhere/model.tflite" }, Capture(new WindowOptions { Id = "w01" }));

        Assert.Contains(errors, e => e.StartsWith("Occupancy:ModelPath '/nowhere/model.tflite' does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NonPositiveInactiveThresholds_NameTheirKeys()
    {
        var errors = OccupancyOptionsValidator.Check(
            new OccupancyOptions { ModelPath = OccupancyFixture.ModelPath, InactiveThreshold = TimeSpan.Zero },
            Capture(new WindowOptions { Id = "w01", InactiveThreshold = TimeSpan.FromSeconds(-1) })).ToList();

        Assert.Contains("Occupancy:InactiveThreshold 00:00:00 must be positive.", errors);
        Assert.Contains("Capture:Cameras:0:Windows:0:InactiveThreshold -00:00:01 must be positive.", errors);
    }

    [Fact]
    public void Check_NoWindows_NeedsNoModel() =>
        Assert.Empty(OccupancyOptionsValidator.Check(new OccupancyOptions { ModelPath = "/nowhere/model.tflite" }, new CaptureOptions()));

    [Fact]
    public void Check_DecisiveChangeBelowTheFineOne_NamesBothKeys() =>
        Assert.Contains(
            "Occupancy:DecisiveChangeThreshold 2 must not be below Occupancy:ChangeThreshold 2.5.",
            OccupancyOptionsValidator.Check(new OccupancyOptions { ModelPath = OccupancyFixture.ModelPath, DecisiveChangeThreshold = 2 }, new CaptureOptions()));

    [Fact]
    public void Check_BadWindowSettings_NameTheirKeys()
    {
        var window = new WindowOptions { Id = "w01", Headcount = 0, LeaveThreshold = TimeSpan.FromSeconds(5), ClosedDays = ["tomorrow"] };

        var errors = OccupancyOptionsValidator.Check(
            new OccupancyOptions { ModelPath = OccupancyFixture.ModelPath, PresenceThreshold = 1.5, Schedule = { Hours = ["9-12"] } },
            Capture(window)).ToList();

        Assert.Contains("Capture:Cameras:0:Windows:0:Headcount 0 must be between 1 and 20.", errors);
        Assert.Contains(errors, e => e.StartsWith("Capture:Cameras:0:Windows:0:LeaveThreshold", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Capture:Cameras:0:Windows:0:ClosedDays:0 'tomorrow'", StringComparison.Ordinal));
        Assert.Contains("Occupancy:PresenceThreshold 1.5 must be between 0 and 1.", errors);
        Assert.Contains(errors, e => e.StartsWith("Occupancy:Schedule:Hours:0 '9-12'", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SecondSignalModelsMissing_IsAllowed_TheRecorderFallsBackToSegmentation()
    {
        var options = new OccupancyOptions { ModelPath = OccupancyFixture.ModelPath, FaceModelPath = "/nowhere/face.tflite", PoseModelPath = "" };

        Assert.Empty(OccupancyOptionsValidator.Check(options, Capture(new WindowOptions { Id = "w01" })));
        Assert.False(PersonCheck.Available(options));
    }

    [Fact]
    public void Check_TruncatedPoseModel_NamesPoseModelPath()
    {
        using var dir = new ServiceHall.Testing.TempDirectory();
        var truncated = dir.Combine("pose_landmark_lite.tflite");
        using (var source = File.OpenRead(OccupancyFixture.PoseModelPath))
        using (var target = File.Create(truncated))
        {
            var half = new byte[source.Length / 2];
            source.ReadExactly(half);
            target.Write(half);
        }

        var errors = OccupancyOptionsValidator.Check(
            new OccupancyOptions { ModelPath = OccupancyFixture.ModelPath, FaceModelPath = OccupancyFixture.FaceModelPath, PoseModelPath = truncated },
            Capture(new WindowOptions { Id = "w01" })).ToList();

        var error = Assert.Single(errors);
        Assert.StartsWith($"Occupancy:PoseModelPath '{truncated}' is not a model OpenCV can load", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BadSecondSignalSettings_NameTheirKeys()
    {
        var errors = OccupancyOptionsValidator.Check(
            new OccupancyOptions
            {
                ModelPath = OccupancyFixture.ModelPath,
                FaceThreshold = 1.2,
                PersonConfirmInterval = TimeSpan.Zero,
            },
            new CaptureOptions()).ToList();

        Assert.Contains(errors, e => e.StartsWith("Occupancy:FaceThreshold 1.2", StringComparison.Ordinal));
        Assert.Contains("Occupancy:PersonConfirmInterval must be positive.", errors);
    }
}
