using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Viewing;

/// <summary>
/// What the browsers on the other Console nodes watch, per node and site, as those nodes announced it. A node that
/// stops announcing itself for <see cref="ForgetAfter"/> (killed, cut off) is forgotten with everything it watched, so
/// a Recorder does not stream live video for a dead node's closed pages for ever.
/// </summary>
public sealed class OtherNodesViewers(TimeProvider time)
{
    /// <summary>How long a silent node's views are kept: three of its announcements.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(15);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);

    /// <summary>Sets what a node watches of a site (nothing forgets it).</summary>
    public void Set(NodeWatching watching)
    {
        lock (_lock)
        {
            var node = Heard(watching.NodeId);
            if (IsNothing(watching.Watched))
            {
                node.Sites.Remove(watching.SiteId);
            }
            else
            {
                node.Sites[watching.SiteId] = watching.Watched;
            }
        }
    }

    /// <summary>A node said it is alive.</summary>
    public void Alive(string nodeId)
    {
        lock (_lock)
        {
            Heard(nodeId);
        }
    }

    /// <summary>Forgets nodes not heard for <see cref="ForgetAfter"/>; returns the sites they watched.</summary>
    public IReadOnlyList<string> ForgetSilent()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var silent = _nodes.Where(n => now - n.Value.LastHeardAt > ForgetAfter).ToList();
            foreach (var (nodeId, _) in silent)
            {
                _nodes.Remove(nodeId);
            }

            return silent.SelectMany(n => n.Value.Sites.Keys).Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>What the other nodes watch of the site, together.</summary>
    public CamerasWatched For(string siteId)
    {
        lock (_lock)
        {
            return _nodes.Values.Select(n => n.Sites.GetValueOrDefault(siteId)).OfType<CamerasWatched>()
                .Aggregate(Nothing, Union);
        }
    }

    public static CamerasWatched Nothing { get; } = new(false, [], []);

    public static CamerasWatched Union(CamerasWatched a, CamerasWatched b) =>
        new(a.AllCameras || b.AllCameras,
            [.. a.CameraIds.Union(b.CameraIds, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. a.LiveCameraIds.Union(b.LiveCameraIds, StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    private static bool IsNothing(CamerasWatched watched) =>
        !watched.AllCameras && watched.CameraIds.Count == 0 && watched.LiveCameraIds.Count == 0;

    private Node Heard(string nodeId)
    {
        var node = _nodes.TryGetValue(nodeId, out var known) ? known : _nodes[nodeId] = new Node();
        node.LastHeardAt = time.GetUtcNow();
        return node;
    }

    private sealed class Node
    {
        public DateTimeOffset LastHeardAt { get; set; }

        public Dictionary<string, CamerasWatched> Sites { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>What one node's browsers watch of one site.</summary>
public sealed record NodeWatching(string NodeId, string SiteId, CamerasWatched Watched);

/// <summary>A node's periodic "still here"; <paramref name="Hello"/> when it just started and wants everyone's views.</summary>
public sealed record NodeAlive(string NodeId, bool Hello);
