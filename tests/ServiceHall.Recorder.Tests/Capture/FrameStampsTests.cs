using Microsoft.Extensions.Time.Testing;
using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>ffmpeg's per-frame lines matched to the frames on the pipe: a line lost or out of order never misdates a frame.</summary>
public sealed class FrameStampsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    // As ffmpeg 5.1 prints them (tools/rtsp-camera.py's clock camera, key frames only, settb=1/1000).
    private static string Line(long n, long millis) =>
        $"[Parsed_showinfo_3 @ 0x564b70a4af80] n:{n,4} pts:{millis,7} pts_time:{millis / 1000.0:0.###}   pos:       -1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:1 type:I ";

    [Fact]
    public void Showinfo_ReadsTheFrameNumberAndStreamTimeInMilliseconds_AndNothingElse()
    {
        Assert.Equal((12L, TimeSpan.FromMilliseconds(5999)), FrameStamps.Showinfo(Line(12, 5999)));
        Assert.Equal((0L, TimeSpan.FromMilliseconds(-40)), FrameStamps.Showinfo(Line(0, -40)));
        Assert.Null(FrameStamps.Showinfo("[Parsed_showinfo_3 @ 0x564b70a4af80] color_range:tv color_space:smpte170m color_primaries:smpte170m color_trc:smpte170m"));
        Assert.Null(FrameStamps.Showinfo("[Parsed_showinfo_3 @ 0x1] n:   4 pts:NOPTS   pts_time:NOPTS   pos:       -1 fmt:yuv420p"));
        Assert.Null(FrameStamps.Showinfo("frame=    6 fps=1.2 q=-0.0 size=     562kB time=00:00:08.10 bitrate= 568.9kbits/s speed=1.56x"));
    }

    [Fact]
    public async Task FramesInOrder_GetTheirOwnStreamTime_AndTheLinesSeenSinceTheFrameBefore()
    {
        var stamps = new FrameStamps();
        stamps.OnLine(Line(0, 0), T0.AddSeconds(0.1));
        stamps.OnLine(Line(1, 2000), T0.AddSeconds(2.1));

        var first = await stamps.TakeAsync(0, T0.AddSeconds(2.2), Wait, TimeProvider.System, CancellationToken.None);
        var second = await stamps.TakeAsync(1, T0.AddSeconds(4.2), Wait, TimeProvider.System, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, first.Pts);
        Assert.Equal(
            [new StreamMark(TimeSpan.Zero, T0.AddSeconds(0.1), MarkSource.Filter), new StreamMark(TimeSpan.FromSeconds(2), T0.AddSeconds(2.1), MarkSource.Filter)],
            first.Marks);
        Assert.Equal(TimeSpan.FromSeconds(2), second.Pts);
        Assert.Empty(second.Marks);
        Assert.Null(stamps.Lost);
    }

    [Fact]
    public async Task AFrameTakenBeforeItsLine_WaitsForIt()
    {
        var stamps = new FrameStamps();
        var taking = stamps.TakeAsync(0, T0, Wait, TimeProvider.System, CancellationToken.None).AsTask();
        Assert.False(taking.IsCompleted);
        stamps.OnLine(Line(0, 500), T0);
        Assert.Equal(TimeSpan.FromMilliseconds(500), (await taking.WaitAsync(TimeSpan.FromSeconds(10))).Pts);
    }

    [Fact]
    public async Task FramesThePipeDropped_AreSkipped_TheNextIsStillMatchedToItsOwnLine()
    {
        var stamps = new FrameStamps();
        for (var n = 0; n < 5; n++)
        {
            stamps.OnLine(Line(n, n * 500), T0);
        }

        Assert.Equal(TimeSpan.Zero, (await stamps.TakeAsync(0, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), (await stamps.TakeAsync(4, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        Assert.Null(stamps.Lost);
    }

    [Fact]
    public async Task ALostLine_DatesThatFrameAndEveryLaterOneByArrival()
    {
        var stamps = new FrameStamps();
        stamps.OnLine(Line(0, 0), T0);
        Assert.Equal(TimeSpan.Zero, (await stamps.TakeAsync(0, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        stamps.OnLine(Line(2, 1000), T0);
        stamps.OnLine(Line(3, 1500), T0);

        // Frame 1 has no line, and frame 2's came after a gap: neither is trusted, nor any frame after.
        Assert.Null((await stamps.TakeAsync(1, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        Assert.Null((await stamps.TakeAsync(2, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        Assert.Null((await stamps.TakeAsync(3, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        Assert.Contains("frame 2", stamps.Lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinesOutOfOrder_OrGoingBackInTime_EndTheMatching()
    {
        var swapped = new FrameStamps();
        swapped.OnLine(Line(1, 500), T0);
        swapped.OnLine(Line(0, 0), T0);
        Assert.NotNull(swapped.Lost);
        Assert.Null((await swapped.TakeAsync(0, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);

        var backwards = new FrameStamps();
        backwards.OnLine(Line(0, 500), T0);
        Assert.Equal(TimeSpan.FromMilliseconds(500), (await backwards.TakeAsync(0, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        backwards.OnLine(Line(1, 500), T0);
        Assert.Null((await backwards.TakeAsync(1, T0, Wait, TimeProvider.System, CancellationToken.None)).Pts);
        Assert.Contains("not later", backwards.Lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALineThatNeverComes_GivesUpAfterTheWait()
    {
        var time = new FakeTimeProvider(T0);
        var stamps = new FrameStamps();
        var taking = stamps.TakeAsync(0, T0, Wait, time, CancellationToken.None).AsTask();
        time.Advance(Wait - TimeSpan.FromMilliseconds(1));
        Assert.False(taking.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var frame = await taking.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(frame.Pts);
        Assert.Contains("within 2 s", stamps.Lost, StringComparison.Ordinal);
        stamps.OnLine(Line(0, 0), T0);
        Assert.Null((await stamps.TakeAsync(1, T0, Wait, time, CancellationToken.None)).Pts);
    }
}
