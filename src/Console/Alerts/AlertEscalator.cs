using ServiceHall.Console.Monitor;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Alerts;

/// <summary>
/// Every few seconds, escalates open alerts nobody acknowledged in time and tells the supervisors: on one node at a
/// time (an alert escalated by two nodes would skip a level).
/// </summary>
public sealed partial class AlertEscalator(AlertEngine alerts, MonitorBroadcaster broadcaster, IJobLease lease, TimeProvider time, ILogger<AlertEscalator> logger) : BackgroundService
{
    public const string Job = "alert-escalation";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!lease.Holds(Job))
                    {
                        continue;
                    }

                    foreach (var alert in alerts.Escalate())
                    {
                        LogEscalated(logger, alert.AlertId, alert.Type, alert.SiteId, alert.EscalationLevel);
                        await broadcaster.Alert(alert);
                    }
                }
#pragma warning disable CA1031 // One failed round is logged; the next tick tries again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} ({Type} at {SiteId}) unacknowledged: escalated to level {Level}")]
    private static partial void LogEscalated(ILogger logger, string alertId, string type, string siteId, int level);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert escalation round failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
