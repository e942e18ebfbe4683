using ServiceHall.Recorder.Capture;

namespace ServiceHall.Recorder.Tests.Capture;

public sealed class GopPolicyTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(4);

    private static TimeSpan[] Every(double gop, int count = 4) => [.. Enumerable.Range(0, count).Select(i => TimeSpan.FromSeconds(10 + (i * gop)))];

    [Theory]
    [InlineData(0.5, 1.0)] // a short GOP is thinned to the analysis rate
    [InlineData(1.0, 1.0)]
    [InlineData(2.0, 2.0)] // the usual factory GOP: a frame every 2 s
    [InlineData(4.0, 4.0)]
    public void Decide_Auto_GopUpToTheMaximum_DecodesKeyFramesAtTheGopRate(double gop, double frameInterval)
    {
        var decision = GopPolicy.Decide(KeyFrameDecoding.Auto, Every(gop), Max, analysisFps: 1);

        Assert.True(decision.KeyFramesOnly);
        Assert.Equal(TimeSpan.FromSeconds(frameInterval), decision.FrameInterval);
        Assert.Equal(TimeSpan.FromSeconds(gop), decision.KeyFrameInterval);
        Assert.Null(decision.Warning);
    }

    [Fact]
    public void Decide_Auto_GopLongerThanTheMaximum_DecodesEveryFrameAndSaysWhatItCosts()
    {
        var decision = GopPolicy.Decide(KeyFrameDecoding.Auto, Every(10, 2), Max, analysisFps: 1);

        Assert.False(decision.KeyFramesOnly);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.FrameInterval);
        Assert.Equal("GOP 10 s > 4 s: every frame decoded, about 20 % of a core at 1080p", decision.Warning);
    }

    [Fact]
    public void Decide_Auto_OneLongGapAmongShortOnes_DecodesEveryFrame() =>
        Assert.False(GopPolicy.Decide(KeyFrameDecoding.Auto, [.. Every(2), TimeSpan.FromSeconds(25)], Max, analysisFps: 1).KeyFramesOnly);

    [Fact]
    public void Decide_Auto_JitterWithinTenPercent_StillKeyFrames()
    {
        var decision = GopPolicy.Decide(KeyFrameDecoding.Auto, [.. new[] { 0, 4.3, 8.0, 12.0, 16.0 }.Select(TimeSpan.FromSeconds)], Max, analysisFps: 1);

        Assert.True(decision.KeyFramesOnly);
        Assert.Equal(TimeSpan.FromSeconds(4.0), decision.FrameInterval); // the median, not the late one
    }

    [Fact]
    public void Decide_Auto_FewerThanTwoKeyFrames_GopUnknown_DecodesEveryFrame()
    {
        var decision = GopPolicy.Decide(KeyFrameDecoding.Auto, [TimeSpan.FromSeconds(3)], Max, analysisFps: 1);

        Assert.False(decision.KeyFramesOnly);
        Assert.Null(decision.KeyFrameInterval);
        Assert.Equal("GOP unknown > 4 s: every frame decoded, about 20 % of a core at 1080p", decision.Warning);
    }

    [Fact]
    public void Decide_AlwaysAndNever_NeedNoProbeAndWarnNever()
    {
        Assert.Equal(new GopDecision(true, TimeSpan.FromSeconds(0.5), null, null), GopPolicy.Decide(KeyFrameDecoding.Always, [], Max, analysisFps: 2));
        Assert.Equal(new GopDecision(false, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), null), GopPolicy.Decide(KeyFrameDecoding.Never, Every(10, 2), Max, analysisFps: 1));
    }

    [Fact]
    public void ForSubStream_GopUpToTheMaximum_KeyFramesAsTheMainStream()
    {
        var main = GopPolicy.Decide(KeyFrameDecoding.Auto, Every(2), Max, analysisFps: 1);

        Assert.Equal(main, GopPolicy.ForSubStream(main));
        Assert.True(GopPolicy.ForSubStream(main).KeyFramesOnly);
    }

    [Fact]
    public void ForSubStream_LongerGop_DecodedWholeAtTheAnalysisRate_WithoutTheMainStreamsCostWarning()
    {
        var decision = GopPolicy.ForSubStream(GopPolicy.Decide(KeyFrameDecoding.Auto, Every(10, 2), Max, analysisFps: 1));

        Assert.Equal(new GopDecision(false, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), null), decision);
    }

    [Fact]
    public void ForSubStream_OperatorForcesEitherWay_TheSubStreamFollows()
    {
        Assert.False(GopPolicy.ForSubStream(GopPolicy.Decide(KeyFrameDecoding.Never, Every(2), Max, analysisFps: 1)).KeyFramesOnly);
        Assert.True(GopPolicy.ForSubStream(GopPolicy.Decide(KeyFrameDecoding.Always, Every(10, 2), Max, analysisFps: 1)).KeyFramesOnly);
    }

    [Fact]
    public void Decide_HigherAnalysisRate_FramesNeverComeFasterThanIt() =>
        Assert.Equal(TimeSpan.FromSeconds(0.5), GopPolicy.Decide(KeyFrameDecoding.Auto, Every(0.2, 10), Max, analysisFps: 2).FrameInterval);

    [Theory]
    [InlineData(4, 9)] // two 4 s GOPs (plus jitter): a read that starts just after a key frame still sees two
    [InlineData(1, 3)]
    public void ProbeLength_CoversTwoOfTheLongestAcceptedGops(double max, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), GopPolicy.ProbeLength(TimeSpan.FromSeconds(max)));
}
