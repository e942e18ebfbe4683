using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    [Fact]
    public void Delay_DoublesPerAttempt_WithinJitterBounds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), Backoff.Delay(0, Initial, Cap, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), Backoff.Delay(0, Initial, Cap, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(2000), Backoff.Delay(1, Initial, Cap, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(3000), Backoff.Delay(2, Initial, Cap, 0.5));
    }

    [Fact]
    public void Delay_NeverExceedsCap_EvenAfterManyAttempts()
    {
        Assert.Equal(Cap, Backoff.Delay(1000, Initial, Cap, 1));
        Assert.Equal(Cap / 2, Backoff.Delay(1000, Initial, Cap, 0));
    }

    [Fact]
    public void Delay_RefusesNegativeAttempt() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(-1, Initial, Cap, 0));
}
