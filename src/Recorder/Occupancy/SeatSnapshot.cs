using OpenCvSharp;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>The proof picture of an occupancy event: the frame with the seat outlined in its state's colour.</summary>
public static class SeatSnapshot
{
    public static byte[] Encode(Mat frame, SeatGeometry? seat, WindowState state, int quality = 80)
    {
        using var copy = frame.Clone();
        if (seat is not null && seat.Fits(frame.Width, frame.Height))
        {
            var thickness = Math.Max(2, frame.Width / 320);
            Cv2.Polylines(copy, [seat.Polygon], isClosed: true, ColourOf(state), thickness, LineTypes.AntiAlias);
        }

        Cv2.ImEncode(".jpg", copy, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return bytes;
    }

    /// <summary>BGR: green staffed, amber away, red unstaffed, grey unknown (the wall uses the same meaning).</summary>
    public static Scalar ColourOf(WindowState state) => state switch
    {
        WindowState.Staffed => new Scalar(60, 200, 60),
        WindowState.Away => new Scalar(0, 190, 255),
        WindowState.Unstaffed => new Scalar(40, 40, 230),
        _ => new Scalar(160, 160, 160),
    };
}
