using System.Diagnostics;
using ServiceHall.Bench.Failover;

// Failover drill of issue 16: two Console nodes as their own processes on one PostgreSQL and Redis behind HAProxy
// (the shipped deploy/haproxy/servicehall.cfg), N simulated Recorders and M screens through the proxy, a burst of
// events, and one node SIGKILLed mid-burst. Bounded by --timeout-seconds; cleans up after itself.
// Last line: failover_s=<x> lost=<n> duplicated=<n>.
FailoverOptions options;
try
{
    options = FailoverOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"Bench.Failover: {ex.Message}");
    Console.Error.WriteLine("usage: Bench.Failover --tls DIR --console ServiceHall.Console.dll [--recorders 2000] [--monitors 20] [--events 20000] [--events-per-second 2000] [--kill-at 0.5] [--alert-every 10] [--timeout-seconds 600]");
    return 64;
}

ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 16), 64);
using var timeout = new CancellationTokenSource(options.Timeout);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    timeout.Cancel();
};

await using var drill = new Drill(options, Console.Out, Stopwatch.StartNew());
try
{
    var result = await drill.RunAsync(timeout.Token);
    return result.GoalMet ? 0 : 1;
}
catch (OperationCanceledException) when (timeout.IsCancellationRequested)
{
    Console.WriteLine($"the drill was stopped by its timeout ({options.Timeout.TotalSeconds:0} s) before it could count");
    return 1;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or Npgsql.NpgsqlException)
{
    Console.WriteLine($"the drill failed: {ex}");
    return 1;
}
