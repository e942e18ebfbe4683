using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Hubs;

/// <summary>Sends to one site's Recorder through its group on <see cref="RecorderHub"/>.</summary>
public sealed class RecorderLink(IHubContext<RecorderHub, IRecorderClient> recorders) : IRecorderLink
{
    public IRecorderClient Site(string siteId) => recorders.Clients.Group(Groups.Recorder(siteId));
}
