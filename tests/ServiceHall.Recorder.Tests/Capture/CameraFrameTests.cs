using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Tests.Occupancy;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>Analysis frames travel as YUV 4:2:0; colour is made only for the crops and snapshots that need it.</summary>
public sealed class CameraFrameTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CropToBgr_IsThatRegionOfTheWholeFrameInColour()
    {
        using var picture = OccupancyFixture.Frame("basic.mp4", 10);
        var frame = CameraFrame.FromBgr("cam-1", T0, picture);
        var region = new Rect(222, 86, 210, 256);

        using var whole = frame.ToBgr();
        using var crop = frame.CropToBgr(region);

        using var expected = new Mat(whole, region);
        using var diff = new Mat();
        Cv2.Absdiff(crop, expected, diff);
        Assert.Equal(region.Size, crop.Size());
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
        // And the colour survived the round trip through YUV: close to the original picture.
        using var original = new Mat(picture, region);
        Cv2.Absdiff(crop, original, diff);
        Assert.True(Cv2.Mean(diff).Val0 < 4, $"mean difference {Cv2.Mean(diff).Val0:0.0}");
    }

    [Fact]
    public void Grey_IsTheLumaOfThePicture()
    {
        using var picture = OccupancyFixture.Frame("basic.mp4", 10);
        var frame = CameraFrame.FromBgr("cam-1", T0, picture);

        using var grey = frame.Grey();
        using var expected = new Mat();
        Cv2.CvtColor(picture, expected, ColorConversionCodes.BGR2GRAY);
        using var diff = new Mat();
        Cv2.Absdiff(grey, expected, diff);

        Assert.Equal(CameraFrame.ByteCount(picture.Width, picture.Height), frame.I420.Length);
        Assert.True(Cv2.Mean(diff).Val0 < 20, $"mean difference {Cv2.Mean(diff).Val0:0.0}");
    }

    [Theory]
    [InlineData(221, 86, 210, 256)]
    [InlineData(222, 86, 211, 256)]
    [InlineData(500, 200, 200, 200)]
    public void CropToBgr_OddOrOutsideRegion_IsRefused(int x, int y, int width, int height)
    {
        var frame = new CameraFrame("cam-1", T0, 640, 360, new byte[CameraFrame.ByteCount(640, 360)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => frame.CropToBgr(new Rect(x, y, width, height)));
    }

    [Theory]
    [InlineData(641, 361, 640, 360)]
    [InlineData(640, 360, 640, 360)]
    public void EvenSize_RoundsDown(int width, int height, int evenWidth, int evenHeight) =>
        Assert.Equal((evenWidth, evenHeight), CameraFrame.EvenSize(width, height));
}
