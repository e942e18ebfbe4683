using System.Collections.Concurrent;
using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>A frame consumer that keeps every frame it is given, in order.</summary>
internal sealed class FrameCollector(ConcurrentQueue<CameraFrame>? frames = null) : IFrameConsumer
{
    public ConcurrentQueue<CameraFrame> Frames { get; } = frames ?? new();

    public ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
    {
        Frames.Enqueue(frame);
        return ValueTask.CompletedTask;
    }
}
