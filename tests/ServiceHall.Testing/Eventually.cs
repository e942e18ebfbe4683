namespace ServiceHall.Testing;

/// <summary>Waits on a condition with a deadline instead of sleeping on luck.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<T?> probe, TimeSpan timeout, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
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
