using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Monitor;

/// <summary>
/// The one place that pushes to supervisors' browsers; it decides nothing, it only sends. Every message goes to the
/// groups of its site, its district and "all"; <see cref="MonitorHub"/> puts a connection in only the groups its user
/// may see.
/// </summary>
public sealed class MonitorBroadcaster(IHubContext<MonitorHub, IMonitorClient> monitors, MonitorPushes pushes, ISiteStore sites)
{
    /// <summary>Queued for the next batch (<see cref="MonitorPushes"/>).</summary>
    public void SiteChanged(SiteStatusChanged status) => pushes.Add(status);

    /// <summary>Queued for the next batch (<see cref="MonitorPushes"/>); alerts, which need a supervisor at once, are not.</summary>
    public void WindowChanged(WindowStateChanged window) => pushes.Add(window);

    public Task SnapshotChanged(SnapshotUpdated snapshot) =>
        Audience(snapshot.SiteId, sites.Find(snapshot.SiteId)?.District ?? "").SnapshotUpdated(snapshot);

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
