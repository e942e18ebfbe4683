using System.Threading.Channels;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Carries ffmpeg's raw frames from its output pipe to an async consumer. A thread of its own reads the pipe with
/// blocking reads and hands over whole frames: ffmpeg writes a frame in 32 KB pieces, and an async read paid a
/// thread-pool wake-up for every piece, where the consumer now wakes once per frame.
/// </summary>
public static class FramePipe
{
    /// <summary>
    /// Reads whole frames of <paramref name="frameBytes"/> until the pipe ends (a partial last frame is dropped) and hands
    /// each, in a new array, to <paramref name="onFrame"/> with its index on the pipe (0, 1, 2...).
    /// With <paramref name="dropBeyond"/> at most that many frames wait for a consumer that falls behind; beyond it the
    /// oldest waiting frame is skipped and its index goes to <paramref name="onDropped"/>: the pipe never stays full, so
    /// the ffmpeg process (which also records the camera) never waits for the analysis. With null, reading waits for the
    /// consumer and no frame is missed (a file read as fast as it decodes, as the accuracy harness does).
    /// </summary>
    public static Task ReadAsync(
        Stream pipe,
        int frameBytes,
        int? dropBeyond,
        Func<long, byte[], CancellationToken, ValueTask> onFrame,
        Action<long>? onDropped,
        CancellationToken ct) =>
        ReadAsync(pipe, frameBytes, dropBeyond, TimeProvider.System, (index, data, _, frameCt) => onFrame(index, data, frameCt), onDropped, ct);

    /// <summary>
    /// As the other overload, and each frame comes with the time <paramref name="time"/> read when the frame was whole on
    /// the pipe: when ffmpeg gave it, not when a consumer that was behind got round to it.
    /// </summary>
    public static async Task ReadAsync(
        Stream pipe,
        int frameBytes,
        int? dropBeyond,
        TimeProvider time,
        Func<long, byte[], DateTimeOffset, CancellationToken, ValueTask> onFrame,
        Action<long>? onDropped,
        CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        var options = new BoundedChannelOptions(dropBeyond ?? 1)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = dropBeyond is null ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
        };
        var frames = Channel.CreateBounded<(long Index, byte[] Data, DateTimeOffset ArrivedAt)>(options, dropped => onDropped?.Invoke(dropped.Index));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Factory.StartNew(() => Pump(pipe, frameBytes, time, frames.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var (index, data, arrivedAt) in frames.Reader.ReadAllAsync(ct))
            {
                await onFrame(index, data, arrivedAt, ct);
            }
        }
        finally
        {
            // After a consumer failure or cancellation the pump stops at its next frame; a read it is blocked in ends
            // when ffmpeg exits and closes the pipe. Its own failure (a broken pipe) came out of ReadAllAsync above.
            await stop.CancelAsync();
        }

        await reader;
    }

    private static void Pump(Stream pipe, int frameBytes, TimeProvider time, ChannelWriter<(long, byte[], DateTimeOffset)> writer, CancellationToken ct)
    {
        try
        {
            for (var index = 0L; !ct.IsCancellationRequested; index++)
            {
                var data = GC.AllocateUninitializedArray<byte>(frameBytes);
                if (pipe.ReadAtLeast(data, frameBytes, throwOnEndOfStream: false) < frameBytes)
                {
                    break;
                }

                // Wait mode blocks here while the consumer is behind; drop mode always writes at once.
                writer.WriteAsync((index, data, time.GetUtcNow()), ct).AsTask().GetAwaiter().GetResult();
            }

            writer.TryComplete();
        }
        catch (OperationCanceledException)
        {
            writer.TryComplete();
        }
#pragma warning disable CA1031 // Whatever broke the read is handed to the consumer side, which rethrows it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            writer.TryComplete(ex);
        }
    }
}
