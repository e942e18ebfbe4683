using Microsoft.Extensions.Time.Testing;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    [Fact]
    public void Next_GrowsPerFailedTryUpToTheCap_AndResetStartsAgain()
    {
        var retry = new RetryBackoff(Initial, Cap, new FakeTimeProvider(), random: () => 1);

        var delays = Enumerable.Range(0, 7).Select(_ => retry.Next().TotalSeconds).ToList();
        retry.Reset();

        Assert.Equal([1.0, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(Initial, retry.Next());
    }

    [Fact]
    public void Next_IsBackoffsDelay_WithTheJitterDrawnForEachTry()
    {
        var draws = new Queue<double>([0, 0.5, 0.25]);
        var retry = new RetryBackoff(Initial, Cap, new FakeTimeProvider(), random: draws.Dequeue);

        Assert.Equal(
            [Backoff.Delay(0, Initial, Cap, 0), Backoff.Delay(1, Initial, Cap, 0.5), Backoff.Delay(2, Initial, Cap, 0.25)],
            [retry.Next(), retry.Next(), retry.Next()]);
    }

    [Fact]
    public void FirstAttempt_StartsTheDelaysFurtherIn_UntilTheFirstReset()
    {
        var retry = new RetryBackoff(Initial, Cap, new FakeTimeProvider(), firstAttempt: 1, random: () => 0);

        var first = retry.Next();
        retry.Reset();

        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5)), (first, retry.Next()));
    }

    [Fact]
    public async Task WaitAsync_EndsWhenTheClockHasMovedTheDelay()
    {
        var clock = new FakeTimeProvider();
        var retry = new RetryBackoff(Initial, Cap, clock, random: () => 0);

        var wait = retry.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, retry.Attempt);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_AnswersFalseInsteadOfThrowing()
    {
        using var stop = new CancellationTokenSource();
        var retry = new RetryBackoff(Initial, Cap, new FakeTimeProvider());

        var wait = retry.WaitAsync(TimeSpan.FromMinutes(1), stop.Token);
        await stop.CancelAsync();

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
