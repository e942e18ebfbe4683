using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Viewing;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Monitor;

/// <summary>
/// Supervisors' browsers: subscribe to all, a district or a site, then receive every change of those sites.
/// A connection has one subscription at a time (kept with the connection, not in a singleton), and joins only
/// groups of sites its user may see, read from the user store at each call so a change of districts applies.
/// What a connection watches (a site's cameras, one camera, a live video) is counted for the Recorders until it ends.
/// </summary>
[Authorize]
public sealed class MonitorHub(FleetState fleet, IUserStore users, ISiteStore sites, ViewerRegistry viewers, ViewingNotifier viewing, AuditLog audit) : Hub<IMonitorClient>, IMonitorHub
{
    private const string SubscriptionKey = "servicehall:subscription";

    public async Task<IReadOnlyList<SiteStatusChanged>> WatchAll()
    {
        var user = SignedInUser();
        string[] groups = user.Role == Roles.Admin ? [Shared.Contracts.Groups.AllSites] : [.. user.Districts.Select(Shared.Contracts.Groups.District)];
        await SubscribeAsync(groups);
        await viewing.NotifyAsync(viewers.View(Context.ConnectionId, null, null));
        return fleet.All().Where(s => user.MaySeeDistrict(s.District)).ToList();
    }

    public async Task<IReadOnlyList<SiteStatusChanged>> WatchDistrict(string district)
    {
        var user = SignedInUser();
        if (district is null || !user.MaySeeDistrict(district))
        {
            throw new HubException($"district '{district}' is not visible to {user.Name}");
        }

        await SubscribeAsync([Shared.Contracts.Groups.District(district)]);
        await viewing.NotifyAsync(viewers.View(Context.ConnectionId, null, null));
        return fleet.All().Where(s => s.District == district).ToList();
    }

    public async Task<IReadOnlyList<SiteStatusChanged>> WatchSite(string siteId)
    {
        var status = VisibleSite(siteId);
        await SubscribeAsync([Shared.Contracts.Groups.Site(siteId)]);
        await viewing.NotifyAsync(viewers.View(Context.ConnectionId, siteId, null));
        return [status];
    }

    public async Task<IReadOnlyList<SiteStatusChanged>> WatchCamera(string siteId, string cameraId)
    {
        var status = VisibleSite(siteId);
        if (!Slug.IsValid(cameraId))
        {
            throw new HubException("camera id must be a slug");
        }

        await SubscribeAsync([Shared.Contracts.Groups.Site(siteId)]);
        await viewing.NotifyAsync(viewers.View(Context.ConnectionId, siteId, cameraId));
        return [status];
    }

    public async Task WatchLive(string siteId, string cameraId)
    {
        VisibleSite(siteId);
        if (!Slug.IsValid(cameraId))
        {
            throw new HubException("camera id must be a slug");
        }

        audit.Append(SignedInUser().Name, AuditActions.LiveViewed, $"camera:{siteId}/{cameraId}");
        await viewing.NotifyAsync(viewers.Live(Context.ConnectionId, siteId, cameraId));
    }

    public Task StopLive() => viewing.NotifyAsync(viewers.Live(Context.ConnectionId, null, null));

    public override Task OnDisconnectedAsync(Exception? exception) => viewing.NotifyAsync(viewers.Remove(Context.ConnectionId));

    private SiteStatusChanged VisibleSite(string siteId)
    {
        var user = SignedInUser();
        if (!Slug.IsValid(siteId) || fleet.Find(siteId) is not { } status || !user.MaySeeDistrict(status.District))
        {
            // Same answer for "no such site" and "not yours": site ids are not disclosed.
            throw new HubException($"site '{(Slug.IsValid(siteId) ? siteId : "?")}' is not visible to {user.Name}");
        }

        return status;
    }

    /// <summary>The connection's user, read afresh at each call so a change of districts applies at once.</summary>
    private CurrentUser SignedInUser()
    {
        var user = new CurrentUser(Context.User, users, sites);
        return user.Record is null ? throw new HubException("unknown user") : user;
    }

    private async Task SubscribeAsync(IReadOnlyList<string> groups)
    {
        if (Context.Items.TryGetValue(SubscriptionKey, out var previous) && previous is IReadOnlyList<string> old)
        {
            foreach (var group in old)
            {
                await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
            }
        }

        foreach (var group in groups)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        }

        Context.Items[SubscriptionKey] = groups;
    }
}
