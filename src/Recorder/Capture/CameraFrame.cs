using OpenCvSharp;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// One decoded analysis frame in planar YUV 4:2:0 (I420, ffmpeg's <c>yuv420p</c>): the Y plane, then U and V at half
/// width and height. Half the bytes of BGR on the pipe and in memory; the Y plane is the grey picture the change gate
/// and the tamper check need, and colour is converted only where someone looks: a seat crop for the model, a snapshot.
/// <see cref="Width"/> and <see cref="Height"/> are even; <see cref="Timestamp"/> is video time (stream start plus
/// frame index over rate).
/// </summary>
public sealed record CameraFrame(string CameraId, DateTimeOffset Timestamp, int Width, int Height, byte[] I420)
{
    /// <summary>Bytes of one frame of an even <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static int ByteCount(int width, int height) => width * height * 3 / 2;

    /// <summary>The frame size the pipe carries for a camera of this size: each side rounded down to even.</summary>
    public static (int Width, int Height) EvenSize(int width, int height) => (width & ~1, height & ~1);

    /// <summary>A frame from a BGR picture of even size (tests, fixtures).</summary>
    public static CameraFrame FromBgr(string cameraId, DateTimeOffset at, Mat bgr)
    {
        using var yuv = new Mat();
        Cv2.CvtColor(bgr, yuv, ColorConversionCodes.BGR2YUV_I420);
        var bytes = new byte[ByteCount(bgr.Width, bgr.Height)];
        System.Runtime.InteropServices.Marshal.Copy(yuv.Data, bytes, 0, bytes.Length);
        return new CameraFrame(cameraId, at, bgr.Width, bgr.Height, bytes);
    }

    /// <summary>The Y plane as a grey picture; a view of <see cref="I420"/>, valid while the returned Mat lives.</summary>
    public Mat Grey() => Mat.FromPixelData(Height, Width, MatType.CV_8UC1, I420);

    /// <summary>The whole frame in BGR.</summary>
    public Mat ToBgr()
    {
        using var yuv = Mat.FromPixelData(Height * 3 / 2, Width, MatType.CV_8UC1, I420);
        var bgr = new Mat();
        Cv2.CvtColor(yuv, bgr, ColorConversionCodes.YUV2BGR_I420);
        return bgr;
    }

    /// <summary>
    /// The region <paramref name="crop"/> in BGR, converting only its pixels. Its corners must be even (as
    /// <c>SeatGeometry</c> places them), so its chroma is whole samples of the frame's.
    /// </summary>
    public Mat CropToBgr(Rect crop)
    {
        if (((crop.X | crop.Y | crop.Width | crop.Height) & 1) != 0 || crop.X < 0 || crop.Y < 0 || crop.Right > Width || crop.Bottom > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(crop), crop, $"not an even region inside {Width}x{Height}");
        }

        var (w, h) = (crop.Width, crop.Height);
        using var planar = new Mat(h * 3 / 2, w, MatType.CV_8UC1);
        using (var frame = Mat.FromPixelData(Height * 3 / 2, Width, MatType.CV_8UC1, I420))
        {
            var chroma = new Rect(crop.X / 2, crop.Y / 2, w / 2, h / 2);
            using var y = new Mat(frame, crop);
            using var yOut = Mat.FromPixelData(h, w, MatType.CV_8UC1, planar.Data);
            y.CopyTo(yOut);
            for (var plane = 0; plane < 2; plane++)
            {
                var offset = Width * Height + plane * (Width / 2) * (Height / 2);
                using var source = Mat.FromPixelData(Height / 2, Width / 2, MatType.CV_8UC1, frame.Data + offset);
                using var part = new Mat(source, chroma);
                using var target = Mat.FromPixelData(h / 2, w / 2, MatType.CV_8UC1, planar.Data + w * h + plane * (w / 2) * (h / 2));
                part.CopyTo(target);
            }
        }

        var bgr = new Mat();
        Cv2.CvtColor(planar, bgr, ColorConversionCodes.YUV2BGR_I420);
        return bgr;
    }
}

/// <summary>
/// Receives every analysis frame of every camera. Each frame has an array of its own (<see cref="FramePipe"/>): a consumer
/// may keep it (<see cref="CameraStates"/> keeps the latest, for snapshots) but must not write to it.
/// </summary>
public interface IFrameConsumer
{
    ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken);
}
