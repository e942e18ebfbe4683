namespace ServiceHall.Shared.Contracts;

/// <summary>Exponential backoff with full jitter, capped; pure so tests can pin it.</summary>
public static class Backoff
{
    /// <summary>Delay before retry number <paramref name="attempt"/> (0-based), with <paramref name="random01"/> in [0,1).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan cap, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var bounded = Math.Min(ceiling, cap.TotalMilliseconds);
        // Half fixed, half random: never hammers in lockstep, never retries instantly.
        return TimeSpan.FromMilliseconds(bounded / 2 + bounded / 2 * random01);
    }
}
