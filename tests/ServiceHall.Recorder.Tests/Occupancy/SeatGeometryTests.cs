using ServiceHall.Recorder.Occupancy;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The seat polygon as the model sees it: drawn on the model's square input, covering the crop's share.</summary>
public sealed class SeatGeometryTests
{
    [Fact]
    public void Mask_IsOnTheModelInput_AndCoversThePolygonsShareOfTheCrop()
    {
        // A margin of half the seat's size on each side: the seat is half the crop's width and half its height.
        double[][] seat = [[0.3, 0.25], [0.5, 0.25], [0.5, 0.75], [0.3, 0.75]];

        using var geometry = new SeatGeometry(seat, 641, 361, margin: 0.5);

        Assert.Equal((PersonScorer.InputSide, PersonScorer.InputSide), (geometry.Mask.Width, geometry.Mask.Height));
        Assert.InRange(geometry.MaskPixels / (double)(PersonScorer.InputSide * PersonScorer.InputSide), 0.24, 0.26);
    }

    [Fact]
    public void Mask_OfAPolygonFillingTheCrop_FillsTheModelInput()
    {
        using var geometry = new SeatGeometry([[0, 0], [1, 0], [1, 1], [0, 1]], 320, 240, margin: 0);

        Assert.Equal(new OpenCvSharp.Rect(0, 0, 320, 240), geometry.Crop);
        Assert.InRange(geometry.MaskPixels, PersonScorer.InputSide * PersonScorer.InputSide * 0.99, PersonScorer.InputSide * PersonScorer.InputSide);
    }
}
