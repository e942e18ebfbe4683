using ServiceHall.Console.Monitor;
using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Seats;

/// <summary>
/// Carries seat changes between admins and Recorders: stores each change before sending it, sends again whatever a
/// reconnecting Recorder has not yet applied, and shows every step to the site's watchers.
/// </summary>
public sealed partial class SeatRelay(
    ISeatStore store,
    IRecorderLink recorders,
    MonitorBroadcaster broadcaster,
    ILogger<SeatRelay> logger)
{
    /// <summary>A Recorder reported its windows: store them, send it the changes it still lacks, show the site.</summary>
    public async Task ReportedAsync(string siteId, WindowsReported report, IRecorderClient caller)
    {
        foreach (var change in store.Reported(siteId, report))
        {
            LogResent(logger, siteId, change.Id, change.WindowId);
            await caller.ChangeSeat(change.Request());
        }

        await broadcaster.SeatsChanged(store.View(siteId));
    }

    public async Task AnsweredAsync(string siteId, SeatChangeApplied result)
    {
        if (store.Answered(siteId, result))
        {
            LogAnswered(logger, siteId, result.ChangeId, result.Applied, result.Reason ?? "");
            await broadcaster.SeatsChanged(store.View(siteId));
        }
    }

    /// <summary>An admin's change: stored Pending first, then sent to the site's Recorder if it is connected (else on its next connect).</summary>
    public async Task<SeatChangeView> RequestAsync(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy)
    {
        var change = store.Request(siteId, cameraId, windowId, seat, requestedBy);
        await recorders.Site(siteId).ChangeSeat(change.Request());
        await broadcaster.SeatsChanged(store.View(siteId));
        return change.View();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId}: seat change {ChangeId} of window {WindowId} sent again")]
    private static partial void LogResent(ILogger logger, string siteId, string changeId, string windowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId}: seat change {ChangeId} answered, applied={Applied} {Reason}")]
    private static partial void LogAnswered(ILogger logger, string siteId, string changeId, bool applied, string reason);
}
