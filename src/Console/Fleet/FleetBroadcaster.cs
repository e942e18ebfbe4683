using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>The one place that pushes fleet changes to supervisors' browsers.</summary>
public sealed class FleetBroadcaster(IHubContext<MonitorHub, IMonitorClient> monitors)
{
    public Task SiteChanged(SiteStatusChanged status) =>
        monitors.Clients.Group(Groups.AllSites).SiteStatusChanged(status);

    public Task SnapshotChanged(SnapshotUpdated snapshot) =>
        monitors.Clients.Group(Groups.AllSites).SnapshotUpdated(snapshot);
}
