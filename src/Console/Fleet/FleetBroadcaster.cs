using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// The one place that pushes to supervisors' browsers. Every message goes to the groups of its site, its
/// district and "all"; <see cref="MonitorHub"/> puts a connection in only the groups its user may see.
/// </summary>
public sealed class FleetBroadcaster(IHubContext<MonitorHub, IMonitorClient> monitors, MonitorPushes pushes, SiteStore sites, AlertEngine alerts, IOptions<AlertOptions> alertOptions, TimeProvider time)
{
    public async Task SiteChanged(SiteStatusChanged status)
    {
        pushes.Add(status);
        foreach (var alert in FleetAlerts.Evaluate(status, alerts, alertOptions.Value, time.GetUtcNow()))
        {
            await Alert(alert);
        }
    }

    public Task SnapshotChanged(SnapshotUpdated snapshot) =>
        Audience(snapshot.SiteId, sites.Find(snapshot.SiteId)?.District ?? "").SnapshotUpdated(snapshot);

    /// <summary>Queued for the next batch (<see cref="MonitorPushes"/>); alerts, which need a supervisor at once, are not.</summary>
    public void WindowChanged(WindowStateChanged window) => pushes.Add(window);

    /// <summary>Seat polygons and seat changes concern only those watching the site.</summary>
    public Task SeatsChanged(SiteSeatsChanged seats) => monitors.Clients.Group(Groups.Site(seats.SiteId)).SiteSeatsChanged(seats);

    /// <summary>Clip progress concerns only those watching the site (the review page).</summary>
    public Task ClipChanged(ClipProgressed clip) => monitors.Clients.Group(Groups.Site(clip.SiteId)).ClipProgressed(clip);

    /// <summary>Pushes a new alert as <c>AlertRaised</c>, anything later in its life as <c>AlertChanged</c>.</summary>
    public Task Alert(AlertView alert) =>
        alert.State == AlertStates.Open && alert.EscalationLevel == 0
            ? Audience(alert.SiteId, alert.District).AlertRaised(new AlertRaised(alert))
            : Audience(alert.SiteId, alert.District).AlertChanged(new AlertChanged(alert));

    private IMonitorClient Audience(string siteId, string district) =>
        monitors.Clients.Groups(Groups.AllSites, Groups.District(district), Groups.Site(siteId));
}
