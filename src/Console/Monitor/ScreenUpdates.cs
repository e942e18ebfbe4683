using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Monitor;

/// <summary>What the screens learn from the Console's streams of change: every site status, and every window state an occupancy event sets.</summary>
public sealed class ScreenUpdates(WindowBoard windows, MonitorBroadcaster broadcaster) : ISiteStatusHandler, IIngestHandler
{
    public Task SiteChangedAsync(SiteStatusChanged status)
    {
        broadcaster.SiteChanged(status);
        return Task.CompletedTask;
    }

    public Task HandleAsync(IngestedEvent ingested)
    {
        if (ingested.Event is WindowEvent window && WindowStates.After(window) is { } state)
        {
            var absence = state is WindowState.Away or WindowState.Unstaffed ? AbsenceTimes.Of(window) : null;
            var since = window switch
            {
                WindowUnstaffed u => absence?.LastSeenAt ?? u.AwaySince,
                WindowVacated v => absence?.LastSeenAt ?? v.AwaySince ?? v.OccurredAt,
                _ => window.OccurredAt,
            };
            var changed = new WindowStateChanged(ingested.SiteId, ingested.District, window.CameraId, window.WindowId, state, since, ingested.DispatchedAt, absence);
            if (windows.Apply(changed) is { } change)
            {
                broadcaster.WindowChanged(change);
            }
        }

        return Task.CompletedTask;
    }
}
