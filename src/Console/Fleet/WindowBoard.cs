using System.Collections.Concurrent;
using ServiceHall.Console.Cluster;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// The current state of every window, from the occupancy events Recorders delivered. Each change is also sent to the
/// other nodes and kept in the shared table, so every node's wall shows every window, including one started later.
/// </summary>
public sealed class WindowBoard(INodeBus bus)
{
    /// <summary>Topic and shared table of window states.</summary>
    internal const string Topic = "fleet-window";

    private readonly ConcurrentDictionary<(string SiteId, string WindowId), WindowStateChanged> _windows = new();

    /// <summary>Records a window's new state; null if the window already had a newer one.</summary>
    public WindowStateChanged? Apply(WindowStateChanged change)
    {
        if (ApplyShared(change) is not { } applied)
        {
            return null;
        }

        bus.Publish(Topic, applied);
        bus.Save(Topic, $"{applied.SiteId}/{applied.WindowId}", applied);
        return applied;
    }

    /// <summary>A change another node applied, or one reloaded from the shared table; null if a newer one is held.</summary>
    internal WindowStateChanged? ApplyShared(WindowStateChanged change)
    {
        var key = (change.SiteId, change.WindowId);
        var applied = _windows.AddOrUpdate(key, change, (_, current) => current.Since > change.Since ? current : change);
        return ReferenceEquals(applied, change) ? change : null;
    }

    public IReadOnlyList<WindowStateChanged> All() => [.. _windows.Values];

    public IReadOnlyList<WindowStateChanged> ForSite(string siteId) =>
        _windows.Values.Where(w => w.SiteId == siteId).OrderBy(w => w.WindowId, StringComparer.Ordinal).ToList();
}
