using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// Every second, turns sites whose Recorder stopped heartbeating offline and publishes the change. One node at a time
/// does it (every node sees every heartbeat), so a silent site is announced and alerted once.
/// </summary>
public sealed class OfflineSweeper(FleetState fleet, FleetChanges changes, IJobLease lease, TimeProvider time, ILogger<OfflineSweeper> logger) : BackgroundService
{
    public const string Job = "offline-sweep";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!lease.Holds(Job))
                {
                    continue;
                }

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
