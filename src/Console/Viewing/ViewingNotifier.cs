using ServiceHall.Console.Cluster;
using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Viewing;

/// <summary>
/// Tells Recorders which of their cameras are watched, by the browsers of every node: on every change, and to a
/// Recorder as it connects. A change on this node is also announced to the other nodes.
/// </summary>
public sealed class ViewingNotifier(ViewerRegistry viewers, OtherNodesViewers others, INodeBus bus, IRecorderLink recorders) : IRecorderGreeter, IDisposable
{
    /// <summary>Topic of each node's views per site, and of the nodes' announcements.</summary>
    internal const string Topic = "viewing", AliveTopic = "viewing-node";

    // One send at a time, so two quick changes of one site cannot reach its Recorder in the wrong order.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Dictionary<string, CamerasWatched> _sent = new(StringComparer.Ordinal);

    /// <summary>After a change on this node: announces its views of the sites, and tells their Recorders.</summary>
    public Task NotifyAsync(IReadOnlyList<string> siteIds)
    {
        Announce(siteIds);
        return SendAsync(siteIds);
    }

    /// <summary>Tells the other nodes what this node's browsers watch of the sites.</summary>
    internal void Announce(IEnumerable<string> siteIds)
    {
        foreach (var siteId in siteIds)
        {
            bus.Publish(Topic, new NodeWatching(bus.NodeId, siteId, viewers.For(siteId)));
        }
    }

    /// <summary>Sends each site's watched set, all nodes together, if it differs from what was last sent.</summary>
    internal async Task SendAsync(IReadOnlyList<string> siteIds)
    {
        await _sending.WaitAsync();
        try
        {
            foreach (var siteId in siteIds)
            {
                var watched = Watched(siteId);
                if (_sent.TryGetValue(siteId, out var last) && Same(last, watched))
                {
                    continue;
                }

                _sent[siteId] = watched;
                await recorders.Site(siteId).WatchCameras(watched);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>A Recorder that just connected learns the current set, whatever was sent before.</summary>
    public Task GreetAsync(string siteId, IRecorderClient recorder) => recorder.WatchCameras(Watched(siteId));

    private CamerasWatched Watched(string siteId) => OtherNodesViewers.Union(viewers.For(siteId), others.For(siteId));

    public void Dispose() => _sending.Dispose();

    internal static bool Same(CamerasWatched a, CamerasWatched b) =>
        a.AllCameras == b.AllCameras && a.CameraIds.SequenceEqual(b.CameraIds) && a.LiveCameraIds.SequenceEqual(b.LiveCameraIds);
}
