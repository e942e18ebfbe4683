using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>The capture time of analysis frames from their arrival on the pipe, through ffmpeg's start-up burst.</summary>
public sealed class VideoClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.5);

    [Fact]
    public void StartUpBurst_IsHeldUntilAFrameComesOnTime_ThenEveryFrameIsDatedByItsCaptureTime()
    {
        // Frame i is taken at T0 + i/2 s and reaches the pipe 0.2 s later, except that ffmpeg held the first 3 s and
        // sent frames 0..6 at once, at T0 + 3.2 s.
        var clock = new VideoClock(Interval, TimeSpan.Zero);
        DateTimeOffset Taken(long i) => T0 + (i * Interval);
        DateTimeOffset Arrived(long i) => i <= 6 ? T0.AddSeconds(3.2) + TimeSpan.FromMilliseconds(i) : Taken(i).AddSeconds(0.2);

        for (var i = 0L; i <= 6; i++)
        {
            Assert.False(clock.Observe(i, Arrived(i)), $"frame {i} of the burst settled the clock");
        }

        for (var i = 7L; i <= 12; i++)
        {
            Assert.True(clock.Observe(i, Arrived(i)));
            var dated = clock.Date();
            Assert.Equal(Taken(i).AddSeconds(0.2), dated);
            Assert.True(dated <= Arrived(i));
        }
    }

    [Fact]
    public void NoBurst_SettlesOnTheSecondFrame()
    {
        var clock = new VideoClock(Interval, TimeSpan.Zero);
        Assert.False(clock.Observe(0, T0));
        Assert.True(clock.Observe(1, T0 + Interval));
        Assert.Equal(T0 + Interval, clock.Date());
    }

    [Fact]
    public void FfmpegNeverCatchingUp_SettlesAfterTenSecondsOfStreamTime_WithTheBestAnchorSoFar()
    {
        // Every frame comes 0.1 s after the one before: the pipe never waited for the camera.
        var clock = new VideoClock(Interval, TimeSpan.Zero);
        var settledAt = Enumerable.Range(0, 40).First(i => clock.Observe(i, T0.AddSeconds(i * 0.1)));

        Assert.Equal(20, settledAt);
        Assert.Equal(T0.AddSeconds(2) - (20 * Interval), clock.Anchor);
    }

    [Fact]
    public void AnEarlierArrivalLater_MovesTheAnchor_ButNoFrameIsDatedBeforeTheOneBefore()
    {
        var clock = new VideoClock(Interval, TimeSpan.Zero);
        clock.Observe(0, T0.AddSeconds(1));
        clock.Observe(1, T0.AddSeconds(1.5));
        Assert.Equal(T0.AddSeconds(1.5), clock.Date());

        // A frame that came early shows the pipe was 0.9 s faster than thought.
        clock.Observe(2, T0.AddSeconds(1.1));
        Assert.Equal(T0.AddSeconds(0.1), clock.Anchor);
        Assert.Equal(T0.AddSeconds(1.5), clock.Date());
        clock.Observe(5, T0.AddSeconds(2.6));
        Assert.Equal(T0.AddSeconds(2.6), clock.Date());
    }

    [Fact]
    public void ACameraClockRunningSlow_IsFollowed_SoFramesStayWithinTheirCaptureTime()
    {
        // The camera's stream time runs 100 ppm slow against the Recorder's clock: after an hour its frames come 0.36 s
        // later than their stream time says. A fixed anchor would date them that much early; the window follows.
        var clock = new VideoClock(TimeSpan.FromSeconds(1), TimeSpan.Zero);
        DateTimeOffset Arrived(long i) => T0 + TimeSpan.FromSeconds(i * 1.0001);
        for (var i = 0L; i <= 3600; i++)
        {
            clock.Observe(i, Arrived(i));
            var dated = clock.Date();
            Assert.True(dated <= Arrived(i), $"frame {i} dated after it arrived");
            Assert.InRange((Arrived(i) - dated).TotalSeconds, 0, 0.01);
        }
    }

    [Fact]
    public void AFrameFfmpegHeldUntilTheNextCame_IsDatedWhenItWasTaken()
    {
        // Key frames every 2 s, each given out by the decoder when the next one came, 0.1 s after that one was taken.
        var gop = new GopDecision(true, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), null);
        var clock = new VideoClock(gop.FrameInterval, VideoClock.HeldByFfmpeg(gop));
        for (var i = 0L; i < 5; i++)
        {
            var arrived = T0 + ((i + 1) * gop.FrameInterval) + TimeSpan.FromSeconds(0.1);
            clock.Observe(i, arrived);
            Assert.Equal(T0 + (i * gop.FrameInterval) + TimeSpan.FromSeconds(0.1), clock.Date());
        }

        Assert.Equal(TimeSpan.FromSeconds(0.25), VideoClock.HeldByFfmpeg(new GopDecision(false, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), null)));
    }

    [Fact]
    public void KeyFramesFewerThanProbed_SettleAfterTenSecondsOfWallTime()
    {
        // A looped file whose key frames came once in 6 s where the probe saw 1.8 s: never in step.
        var clock = new VideoClock(TimeSpan.FromSeconds(1.8), TimeSpan.Zero);
        Assert.False(clock.Observe(0, T0));
        Assert.False(clock.Observe(1, T0.AddSeconds(5.8)));
        Assert.True(clock.Observe(2, T0.AddSeconds(11.6)));
        Assert.True(clock.Date() <= T0.AddSeconds(11.6));
    }

    [Fact]
    public void AFrameFfmpegHolds_IsDatedByItsOwnStreamTime_AnchoredOnItsLine()
    {
        // Key frames every 2 s (stream time 2i), each out of the filters 0.1 s after it was taken (ffmpeg's line), the
        // frames themselves given out two GOPs later: a hold no arrival shows and the arrival-based clock allows only one GOP of.
        var gop = TimeSpan.FromSeconds(2);
        var clock = new VideoClock(gop, heldByFfmpeg: gop);
        DateTimeOffset Taken(long i) => T0 + (i * gop);
        for (var i = 0L; i < 8; i++)
        {
            var marks = new[] { new StreamMark(i * gop, Taken(i).AddSeconds(0.1), MarkSource.Filter) };
            var arrived = Taken(i + 2).AddSeconds(0.1);
            if (!clock.Observe(new PipeFrame(i, arrived, i * gop, marks)))
            {
                Assert.Equal(0L, i);
                continue;
            }

            Assert.True(clock.Stamped);
            Assert.Equal(Taken(i).AddSeconds(0.1), clock.Date());
        }
    }

    [Fact]
    public void StreamTimes_NeedNotStartAtZeroNorComeEvenly()
    {
        // A key frame missing (4 s between two), stream time starting at 7 s: the frames' own times date them.
        var clock = new VideoClock(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        int[] seconds = [7, 9, 13, 15];
        for (var i = 0; i < seconds.Length; i++)
        {
            var pts = TimeSpan.FromSeconds(seconds[i]);
            var seen = T0 + pts + TimeSpan.FromMilliseconds(50);
            clock.Observe(new PipeFrame(i, seen + TimeSpan.FromMilliseconds(300), pts, [new StreamMark(pts, seen, MarkSource.Filter)]));
            if (i > 0)
            {
                Assert.Equal(seen, clock.Date());
            }
        }
    }

    [Fact]
    public void FramesWithoutTheirStreamTime_AfterStampedOnes_AreDatedByArrival_NeverBackInTimeNorAfterArrival()
    {
        var clock = new VideoClock(Interval, TimeSpan.Zero);
        var last = DateTimeOffset.MinValue;
        for (var i = 0L; i < 20; i++)
        {
            // Stream time 100 s at index 0; each frame arrives 0.3 s after it was taken, its line seen 0.1 s after.
            var pts = TimeSpan.FromSeconds(100) + (i * Interval);
            var taken = T0 + (i * Interval);
            var arrived = taken.AddMilliseconds(300);
            var frame = i < 10
                ? new PipeFrame(i, arrived, pts, [new StreamMark(pts, taken.AddMilliseconds(100), MarkSource.Filter)])
                : PipeFrame.Arrived(i, arrived);
            if (!clock.Observe(frame))
            {
                continue;
            }

            Assert.Equal(i < 10, clock.Stamped);
            var dated = clock.Date();
            Assert.True(dated >= last && dated <= arrived, $"frame {i} dated {dated:O}, arrived {arrived:O}, the one before {last:O}");
            Assert.InRange((dated - taken).TotalSeconds, 0, 0.3);
            last = dated;
        }

        Assert.False(clock.Stamped);
    }

    [Fact]
    public void ABurstOfLines_DoesNotSettle_TheFirstInStepDoes()
    {
        // ffmpeg held 3 s, then decoded its way through them in 0.2 s steps of wall time covering 1 s of stream each.
        var clock = new VideoClock(Interval, TimeSpan.Zero);
        StreamMark Line(int stream, int seen) => new(TimeSpan.FromMilliseconds(stream), T0.AddMilliseconds(seen), MarkSource.Filter);
        PipeFrame Frame(long index, int arrived, int pts, params StreamMark[] marks) => new(index, T0.AddMilliseconds(arrived), TimeSpan.FromMilliseconds(pts), marks);
        Assert.False(clock.Observe(Frame(0, 3300, 0, Line(1000, 3000))));
        Assert.False(clock.Observe(Frame(1, 3310, 500, Line(2000, 3200))));
        Assert.False(clock.Observe(Frame(2, 3320, 1000, Line(3000, 3400))));
        Assert.True(clock.Observe(Frame(3, 4200, 1500, Line(3500, 3600), Line(4000, 4100))));
        Assert.Equal(T0.AddMilliseconds(100), clock.Anchor);
        Assert.Equal(T0.AddMilliseconds(1600), clock.Date());
    }
}
