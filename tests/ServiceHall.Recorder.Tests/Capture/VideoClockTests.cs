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

        Assert.True(clock.Observe(7, Arrived(7)));
        for (var i = 0L; i <= 12; i++)
        {
            if (i > 7)
            {
                Assert.True(clock.Observe(i, Arrived(i)));
            }

            var dated = clock.Date(i);
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
        Assert.Equal(T0, clock.Date(0));
        Assert.Equal(T0 + Interval, clock.Date(1));
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
        Assert.Equal(T0.AddSeconds(1.5), clock.Date(1));

        // A frame that came early shows the pipe was 0.9 s faster than thought.
        clock.Observe(2, T0.AddSeconds(1.1));
        Assert.Equal(T0.AddSeconds(0.1), clock.Anchor);
        Assert.Equal(T0.AddSeconds(1.5), clock.Date(2));
        clock.Observe(5, T0.AddSeconds(2.6));
        Assert.Equal(T0.AddSeconds(2.6), clock.Date(5));
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
            var dated = clock.Date(i);
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
            Assert.Equal(T0 + (i * gop.FrameInterval) + TimeSpan.FromSeconds(0.1), clock.Date(i));
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
        Assert.True(clock.Date(2) <= T0.AddSeconds(11.6));
    }
}
