using OpenCvSharp;

namespace ServiceHall.Recorder.Capture;

/// <summary>JPEG encoding of analysis frames for snapshots.</summary>
public static class Jpeg
{
    public static byte[] Encode(CameraFrame frame, int quality = 80)
    {
        using var bgr = frame.ToBgr();
        Cv2.ImEncode(".jpg", bgr, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return bytes;
    }
}
