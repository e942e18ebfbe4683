using OpenCvSharp;

namespace ServiceHall.Recorder.Capture;

/// <summary>JPEG encoding of analysis frames for snapshots.</summary>
public static class Jpeg
{
    public static byte[] Encode(CameraFrame frame, int quality = 80)
    {
        using var mat = Mat.FromPixelData(frame.Height, frame.Width, MatType.CV_8UC3, frame.Bgr);
        Cv2.ImEncode(".jpg", mat, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return bytes;
    }
}
