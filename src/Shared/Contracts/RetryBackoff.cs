namespace ServiceHall.Shared.Contracts;

/// <summary>
/// The pause of a retry loop between tries: <see cref="Backoff"/>'s jittered delay, growing with each failed try and back
/// to the initial one after a success, waited on the given clock. One per loop; not thread-safe.
/// </summary>
/// <param name="initial">The first delay's ceiling.</param>
/// <param name="cap">No delay is longer.</param>
/// <param name="time">The clock the delays run on.</param>
/// <param name="firstAttempt">The attempt number of the very first delay (1 where the first try is already a retry).</param>
/// <param name="random">Values in [0, 1) for the jitter; the shared generator unless a test pins it.</param>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan cap, TimeProvider time, int firstAttempt = 0, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>The attempt number (0-based) the next delay is for.</summary>
    public int Attempt { get; private set; } = firstAttempt;

    /// <summary>A try succeeded: the next delay is the initial one again.</summary>
    public void Reset() => Attempt = 0;

    /// <summary>The delay before the next try; counts one more failed try.</summary>
    public TimeSpan Next() => Backoff.Delay(Attempt++, initial, cap, _random());

    /// <summary>Waits the next delay; false when <paramref name="cancellationToken"/> ended the wait, so the loop can stop quietly.</summary>
    public Task<bool> WaitAsync(CancellationToken cancellationToken) => WaitAsync(Next(), cancellationToken);

    /// <summary>Waits <paramref name="delay"/> (from <see cref="Next"/>, when the loop logs it first); false when cancelled.</summary>
    public async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
