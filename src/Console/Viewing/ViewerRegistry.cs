using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Viewing;

/// <summary>
/// Who looks at which cameras, per browser connection: a page's subscription (a whole site, or one camera on patrol) and
/// at most one live video. A connection's views end when it does, so a closed tab stops counting at once.
/// This node's browsers only: the other nodes' views arrive in <see cref="OtherNodesViewers"/>.
/// </summary>
public sealed class ViewerRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Viewer> _viewers = new(StringComparer.Ordinal);

    /// <summary>Sets what the connection's page shows: a site (all cameras when <paramref name="cameraId"/> is null), or nothing. Returns the sites whose watched set may have changed.</summary>
    public IReadOnlyList<string> View(string connectionId, string? siteId, string? cameraId) =>
        Change(connectionId, v => v with { Page = siteId is null ? null : new CameraRef(siteId, cameraId) });

    /// <summary>Sets (or with null ends) the connection's live video. Returns the sites whose watched set may have changed.</summary>
    public IReadOnlyList<string> Live(string connectionId, string? siteId, string? cameraId) =>
        Change(connectionId, v => v with { Live = siteId is null || cameraId is null ? null : new CameraRef(siteId, cameraId) });

    /// <summary>Forgets a closed connection. Returns the sites whose watched set may have changed.</summary>
    public IReadOnlyList<string> Remove(string connectionId) => Change(connectionId, _ => Viewer.None);

    /// <summary>What the site's Recorder should be told now.</summary>
    public CamerasWatched For(string siteId)
    {
        lock (_lock)
        {
            return Watched(siteId, _viewers.Values);
        }
    }

    /// <summary>Every site some page or live video of this node looks at.</summary>
    public IReadOnlyList<string> WatchedSites()
    {
        lock (_lock)
        {
            return _viewers.Values.SelectMany(v => new[] { v.Page?.SiteId, v.Live?.SiteId }).OfType<string>()
                .Distinct(StringComparer.Ordinal).ToList();
        }
    }

    internal static CamerasWatched Watched(string siteId, IEnumerable<Viewer> viewers)
    {
        var all = false;
        var cameras = new SortedSet<string>(StringComparer.Ordinal);
        var live = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var viewer in viewers)
        {
            if (viewer.Page is { } page && page.SiteId == siteId)
            {
                all |= page.CameraId is null;
                if (page.CameraId is { } camera)
                {
                    cameras.Add(camera);
                }
            }

            if (viewer.Live is { } l && l.SiteId == siteId)
            {
                live.Add(l.CameraId!);
            }
        }

        return new CamerasWatched(all, [.. cameras], [.. live]);
    }

    private List<string> Change(string connectionId, Func<Viewer, Viewer> change)
    {
        lock (_lock)
        {
            var before = _viewers.GetValueOrDefault(connectionId) ?? Viewer.None;
            var after = change(before);
            if (after == Viewer.None)
            {
                _viewers.Remove(connectionId);
            }
            else
            {
                _viewers[connectionId] = after;
            }

            return new[] { before.Page?.SiteId, before.Live?.SiteId, after.Page?.SiteId, after.Live?.SiteId }
                .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>A site, and one of its cameras or (null) all of them.</summary>
    internal sealed record CameraRef(string SiteId, string? CameraId);

    /// <summary>One connection's views.</summary>
    internal sealed record Viewer(CameraRef? Page, CameraRef? Live)
    {
        public static Viewer None { get; } = new(null, null);
    }
}
