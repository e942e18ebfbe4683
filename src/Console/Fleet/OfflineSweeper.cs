namespace ServiceHall.Console.Fleet;

/// <summary>Every second, turns sites whose Recorder stopped heartbeating offline and publishes the change.</summary>
public sealed class OfflineSweeper(FleetState fleet, FleetChanges changes, TimeProvider time, ILogger<OfflineSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var status in fleet.SweepSilent())
                {
                    logger.LogWarning("Site {SiteId} is offline: no heartbeat since {LastHeartbeatAt}", status.SiteId, status.LastHeartbeatAt);
                    await changes.PublishAsync(status);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }
}
