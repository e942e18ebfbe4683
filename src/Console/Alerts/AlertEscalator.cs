using ServiceHall.Console.Monitor;

namespace ServiceHall.Console.Alerts;

/// <summary>Every few seconds, escalates open alerts nobody acknowledged in time and tells the supervisors.</summary>
public sealed partial class AlertEscalator(AlertEngine alerts, MonitorBroadcaster broadcaster, TimeProvider time, ILogger<AlertEscalator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
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
