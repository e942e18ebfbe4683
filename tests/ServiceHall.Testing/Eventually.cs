namespace ServiceHall.Testing;

/// <summary>Waits on a condition with a deadline instead of sleeping on luck.</summary>
public static class Eventually
{
    public static Task<T> Until<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class => UntilAsync(() => Task.FromResult(probe()), timeout, what);

    /// <summary>Like <see cref="Until{T}"/>, for a probe that asks over the network.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
    }

    public static async Task True(Func<bool> condition, TimeSpan timeout, string what)
    {
        await Until(() => condition() ? "yes" : null, timeout, what);
    }
}
