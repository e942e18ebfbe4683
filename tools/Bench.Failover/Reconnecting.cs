using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Bench.Failover;

/// <summary>
/// Keeps a hub connection open the way the Recorder (<c>Uplink/ConsoleLink.cs</c>) and the browser do: connect, stay
/// until it closes, wait the jittered backoff (0.5 to 1 s first, doubling to 30 s, back to the first after a success),
/// connect again. A new connection each time, so whichever node the proxy picks takes it.
/// </summary>
public static class Reconnecting
{
    /// <param name="build">A new, not yet started connection.</param>
    /// <param name="opened">Runs once a connection is up (say what to watch, note the time); a failure counts as a failed connect.</param>
    /// <param name="failed">Told of every connect that failed, and why.</param>
    /// <param name="stop">Ends the loop quietly.</param>
    public static async Task RunAsync(Func<HubConnection> build, Func<HubConnection, CancellationToken, Task> opened, Action<Exception> failed, CancellationToken stop)
    {
        var retry = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeProvider.System);
        while (!stop.IsCancellationRequested)
        {
            await using var connection = build();
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.Closed += _ =>
            {
                closed.TrySetResult();
                return Task.CompletedTask;
            };
            try
            {
                await connection.StartAsync(stop);
                await opened(connection, stop);
                retry.Reset();
                await closed.Task.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure to connect is retried, as the real clients do.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed(ex);
            }

            if (!await retry.WaitAsync(stop))
            {
                return;
            }
        }
    }
}
