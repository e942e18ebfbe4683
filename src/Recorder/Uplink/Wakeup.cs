namespace ServiceHall.Recorder.Uplink;

/// <summary>An auto-reset signal a loop can await together with its timer.</summary>
public sealed class Wakeup : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Dispose() => _signal.Dispose();

    public void Signal()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one pending wake-up is enough.
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/> on <paramref name="time"/>; true if signalled.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, cts.Token);
        var signalled = _signal.WaitAsync(cts.Token);
        var first = await Task.WhenAny(delay, signalled);
        await cts.CancelAsync();
        if (first != signalled)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        try
        {
            // The wait may have won the race against its own cancellation; its answer is the truth.
            await signalled;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
