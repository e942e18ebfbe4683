using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>The pipe between ffmpeg and the analysis: whole frames, in order, dropped only where asked and then counted.</summary>
public sealed class FramePipeTests
{
    private const int FrameBytes = 1000;

    [Fact]
    public async Task Waiting_DeliversEveryWholeFrameInOrder_AndIgnoresAPartialLastOne()
    {
        using var pipe = new MemoryStream([.. Frames(5).SelectMany(f => f), .. new byte[FrameBytes / 2]]);
        var received = new List<(long Index, byte[] Data)>();

        await FramePipe.ReadAsync(pipe, FrameBytes, dropBeyond: null, (index, data, _) =>
        {
            received.Add((index, data));
            return ValueTask.CompletedTask;
        }, _ => Assert.Fail("nothing may be dropped"), CancellationToken.None);

        Assert.Equal([0L, 1, 2, 3, 4], received.Select(r => r.Index));
        Assert.All(received, r => Assert.Equal(Frame(r.Index), r.Data));
        // Each frame its own array: a consumer may keep one (the latest frame for snapshots).
        Assert.Equal(5, received.Select(r => r.Data).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public async Task Waiting_ASlowConsumerStillGetsEveryFrame()
    {
        using var pipe = new MemoryStream([.. Frames(6).SelectMany(f => f)]);
        var received = new List<long>();

        await FramePipe.ReadAsync(pipe, FrameBytes, dropBeyond: null, async (index, _, ct) =>
        {
            await Task.Delay(20, ct);
            received.Add(index);
        }, _ => Assert.Fail("nothing may be dropped"), CancellationToken.None);

        Assert.Equal([0L, 1, 2, 3, 4, 5], received);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Dropping_ASlowConsumerGetsTheNewestFrames_AndEveryMissedOneIsReported(int dropBeyond)
    {
        const int count = 20;
        using var pipe = new MemoryStream([.. Frames(count).SelectMany(f => f)]);
        var received = new List<long>();
        var dropped = new List<long>();

        await FramePipe.ReadAsync(pipe, FrameBytes, dropBeyond, async (index, data, ct) =>
        {
            Assert.Equal(Frame(index), data);
            received.Add(index);
            await Task.Delay(50, ct);
        }, index =>
        {
            lock (dropped)
            {
                dropped.Add(index);
            }
        }, CancellationToken.None);

        // The pipe is read at memory speed while the consumer sleeps: most frames are skipped, never the newest ones.
        Assert.NotEmpty(dropped);
        Assert.Equal(Enumerable.Range(count - dropBeyond, dropBeyond).Select(i => (long)i), received.TakeLast(dropBeyond));
        Assert.Equal(received.Order(), received);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), received.Concat(dropped).Order());
    }

    [Fact]
    public async Task ABrokenPipe_FailsTheRead_AfterTheFramesBeforeIt()
    {
        using var pipe = new FailingStream(Frames(3).SelectMany(f => f).ToArray());
        var received = new List<long>();

        var error = await Assert.ThrowsAsync<IOException>(() => FramePipe.ReadAsync(pipe, FrameBytes, dropBeyond: null, (index, _, _) =>
        {
            received.Add(index);
            return ValueTask.CompletedTask;
        }, null, CancellationToken.None));

        Assert.Equal("pipe broke", error.Message);
        Assert.Equal([0L, 1, 2], received);
    }

    [Fact]
    public async Task AFailingConsumer_EndsTheRead_WithItsError_AndStopsReadingAnEndlessPipe()
    {
        using var pipe = new EndlessStream();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FramePipe.ReadAsync(pipe, FrameBytes, dropBeyond: null, (index, _, _) =>
            index == 3 ? throw new InvalidOperationException("consumer broke") : ValueTask.CompletedTask, null, CancellationToken.None));

        Assert.Equal("consumer broke", error.Message);
        // The reading thread stops within a frame or two of the failure instead of reading on forever.
        await Task.Delay(200);
        var readAfter = pipe.BytesRead;
        await Task.Delay(200);
        Assert.Equal(readAfter, pipe.BytesRead);
    }

    [Fact]
    public async Task Cancelling_EndsTheRead()
    {
        using var pipe = new EndlessStream();
        using var cancel = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FramePipe.ReadAsync(pipe, FrameBytes, dropBeyond: 1, (_, _, _) =>
        {
            if (++received == 10)
            {
                cancel.Cancel();
            }

            return ValueTask.CompletedTask;
        }, null, cancel.Token));

        Assert.True(received >= 10);
    }

    private static IEnumerable<byte[]> Frames(int count) => Enumerable.Range(0, count).Select(i => Frame(i));

    /// <summary>Frame <paramref name="index"/>: every byte says which frame it is, and its position in it.</summary>
    private static byte[] Frame(long index) => [.. Enumerable.Range(0, FrameBytes).Select(i => (byte)(index * 31 + i))];

    private sealed class FailingStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = base.Read(buffer, offset, count);
            return n > 0 ? n : throw new IOException("pipe broke");
        }

        public override int Read(Span<byte> buffer)
        {
            var n = base.Read(buffer);
            return n > 0 ? n : throw new IOException("pipe broke");
        }
    }

    /// <summary>A pipe that never ends, counting what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            buffer.Fill(7);
            Interlocked.Add(ref _read, buffer.Length);
            return buffer.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
