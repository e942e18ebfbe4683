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
}
