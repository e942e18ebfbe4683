using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Fleet;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Hubs;

/// <summary>Supervisors' browsers: subscribe, then receive every change of the sites they watch.</summary>
[Authorize]
public sealed class MonitorHub(FleetState fleet) : Hub<IMonitorClient>, IMonitorHub
{
    public async Task<IReadOnlyList<SiteStatusChanged>> WatchAll()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Shared.Contracts.Groups.AllSites);
        return fleet.All();
    }
}
