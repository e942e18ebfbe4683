using OpenCvSharp;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// A seat polygon placed on frames of one size: the crop to analyse (bounding box plus margin) and the polygon's mask
/// as the model sees the crop (stretched to its square input), so a score needs no resize of the model's output.
/// </summary>
public sealed class SeatGeometry : IDisposable
{
    public SeatGeometry(IReadOnlyList<double[]> seat, int frameWidth, int frameHeight, double margin)
    {
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        Polygon = [.. seat.Select(p => new Point((int)Math.Round(p[0] * (frameWidth - 1)), (int)Math.Round(p[1] * (frameHeight - 1))))];
        var box = Cv2.BoundingRect(Polygon);
        Box = box.Intersect(new Rect(0, 0, frameWidth, frameHeight));
        var dx = (int)Math.Round(box.Width * margin);
        var dy = (int)Math.Round(box.Height * margin);
        // Corners on even pixels, so the crop takes whole chroma samples of a YUV 4:2:0 frame (CameraFrame.CropToBgr).
        var (evenWidth, evenHeight) = (frameWidth & ~1, frameHeight & ~1);
        var x0 = Math.Clamp(box.X - dx, 0, evenWidth - 2) & ~1;
        var y0 = Math.Clamp(box.Y - dy, 0, evenHeight - 2) & ~1;
        var x1 = Math.Min(evenWidth, (box.Right + dx + 1) & ~1);
        var y1 = Math.Min(evenHeight, (box.Bottom + dy + 1) & ~1);
        Crop = new Rect(x0, y0, Math.Max(2, x1 - x0), Math.Max(2, y1 - y0));
        // Pixel centres map as the model's input resize maps them; fixed point (4 fraction bits) keeps sub-pixel corners.
        const int shift = 4;
        var (sx, sy) = ((double)PersonScorer.InputSide / Crop.Width, (double)PersonScorer.InputSide / Crop.Height);
        var scaled = Polygon.Select(p => new Point(
            (int)Math.Round(((p.X - x0 + 0.5) * sx - 0.5) * (1 << shift)),
            (int)Math.Round(((p.Y - y0 + 0.5) * sy - 0.5) * (1 << shift)))).ToArray();
        Mask = new Mat(PersonScorer.InputSide, PersonScorer.InputSide, MatType.CV_8UC1, Scalar.All(0));
        Cv2.FillPoly(Mask, [scaled], Scalar.All(255), LineTypes.Link8, shift);
        MaskPixels = Math.Max(1, Cv2.CountNonZero(Mask));
    }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    /// <summary>The polygon in frame pixels.</summary>
    public Point[] Polygon { get; }

    /// <summary>The polygon's bounding box in frame pixels, without margin (where movement of the clerk is measured).</summary>
    public Rect Box { get; }

    /// <summary>The region handed to the model.</summary>
    public Rect Crop { get; }

    /// <summary>255 inside the polygon, 0 outside, in the model's input coordinates (the crop stretched to a square).</summary>
    public Mat Mask { get; }

    public int MaskPixels { get; }

    /// <summary>True if the point (<paramref name="x"/>, <paramref name="y"/>), each 0..1 across the crop, lies inside the polygon.</summary>
    public bool Contains(double x, double y)
    {
        var (px, py) = ((int)(x * PersonScorer.InputSide), (int)(y * PersonScorer.InputSide));
        return px is >= 0 and < PersonScorer.InputSide && py is >= 0 and < PersonScorer.InputSide && Mask.At<byte>(py, px) != 0;
    }

    public bool Fits(int width, int height) => width == FrameWidth && height == FrameHeight;

    public void Dispose() => Mask.Dispose();
}
