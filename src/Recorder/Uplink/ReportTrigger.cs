namespace ServiceHall.Recorder.Uplink;

/// <summary>Asks the heartbeat to report to the Console now: a camera changed state or the Console link came up.</summary>
public sealed class ReportTrigger : IDisposable
{
    private readonly Wakeup _wakeup = new();

    public void Signal() => _wakeup.Signal();

    public void Dispose() => _wakeup.Dispose();

    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        _wakeup.WaitAsync(timeout, time, cancellationToken);
}
