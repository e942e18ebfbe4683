using ServiceHall.Console.Alerts;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Holds;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>Turns newly stored events into window states and alerts, and pushes both to the supervisors at once.</summary>
public sealed partial class EventDispatcher(SiteStore sites, HoldStore holds, AttendanceLedger ledger, WindowBoard windows, AlertEngine alerts, FleetBroadcaster broadcaster, TimeProvider time, ILogger<EventDispatcher> logger)
{
    /// <summary>Tamper events come from the camera-health feature; matched by name so this needs no change when they land.</summary>
    public const string CameraTamperedType = "CameraTampered";
    public const string CameraTamperClearedType = "CameraTamperCleared";

    public async Task DispatchAsync(string siteId, IReadOnlyList<StoredEvent> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        var district = sites.Find(siteId)?.District ?? "";
        var now = time.GetUtcNow();
        foreach (var record in stored)
        {
            try
            {
                await DispatchOneAsync(siteId, district, record, now);
            }
#pragma warning disable CA1031 // The event is stored and acknowledged; one failed push must not stop the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogDispatchFailed(logger, siteId, record.Sequence, ex.Message);
            }
        }
    }

    private async Task DispatchOneAsync(string siteId, string district, StoredEvent record, DateTimeOffset now)
    {
        var siteEvent = record.ToEvent();
        if (siteEvent is HoldPlaced placed)
        {
            holds.Confirmed(siteId, placed);
        }
        else if (siteEvent is HoldReleased released)
        {
            holds.Confirmed(siteId, released);
        }
        else if (siteEvent is AttendanceDayClosed closed)
        {
            ledger.Fold(siteId, closed);
        }

        if (WindowStates.After(siteEvent) is { } state && record.WindowId is { } windowId)
        {
            var since = siteEvent is WindowUnstaffed unstaffed ? unstaffed.AwaySince : siteEvent.OccurredAt;
            if (windows.Apply(new WindowStateChanged(siteId, district, siteEvent.CameraId, windowId, state, since, now)) is { } change)
            {
                broadcaster.WindowChanged(change);
            }
        }

        var alert = siteEvent switch
        {
            WindowUnstaffed u => alerts.Raise(AlertTypes.WindowUnstaffed, siteId, district, u.WindowId, $"window {u.WindowId} unstaffed since {u.AwaySince:u}", u.AwaySince),
            WindowRestaffed r => alerts.ResolveCause(AlertTypes.WindowUnstaffed, siteId, r.WindowId),
            WindowStaffed s => alerts.ResolveCause(AlertTypes.WindowUnstaffed, siteId, s.WindowId),
            CameraLost lost => alerts.Raise(AlertTypes.CameraDown, siteId, district, lost.CameraId, $"camera {lost.CameraId} down: {lost.Reason}", lost.OccurredAt),
            CameraRegained regained => alerts.ResolveCause(AlertTypes.CameraDown, siteId, regained.CameraId),
            _ when record.Type == CameraTamperedType => alerts.Raise(AlertTypes.CameraTampered, siteId, district, siteEvent.CameraId, $"camera {siteEvent.CameraId} tampered", siteEvent.OccurredAt),
            _ when record.Type == CameraTamperClearedType => alerts.ResolveCause(AlertTypes.CameraTampered, siteId, siteEvent.CameraId),
            _ => null,
        };
        if (alert is not null)
        {
            await broadcaster.Alert(alert);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Sequence} of site {SiteId} stored but not dispatched: {Reason}")]
    private static partial void LogDispatchFailed(ILogger logger, string siteId, long sequence, string reason);
}
