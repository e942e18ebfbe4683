namespace ServiceHall.Recorder.Capture;

/// <summary>One decoded BGR24 frame; <see cref="Timestamp"/> is video time (stream start plus frame index over rate).</summary>
public sealed record CameraFrame(string CameraId, DateTimeOffset Timestamp, int Width, int Height, byte[] Bgr)
{
    public int Stride => Width * 3;
}

/// <summary>Receives every analysis frame of every camera; must not keep <see cref="CameraFrame.Bgr"/> beyond the call unless it copies it.</summary>
public interface IFrameConsumer
{
    ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken);
}
