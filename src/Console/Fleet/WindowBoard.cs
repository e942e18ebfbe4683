using System.Collections.Concurrent;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>The current state of every window, from the occupancy events Recorders delivered.</summary>
public sealed class WindowBoard
{
    private readonly ConcurrentDictionary<(string SiteId, string WindowId), WindowStateChanged> _windows = new();

    /// <summary>Records a window's new state; null if the window already had a newer one.</summary>
    public WindowStateChanged? Apply(WindowStateChanged change)
    {
        var key = (change.SiteId, change.WindowId);
        var applied = _windows.AddOrUpdate(key, change, (_, current) => current.Since > change.Since ? current : change);
        return ReferenceEquals(applied, change) ? change : null;
    }

    public IReadOnlyList<WindowStateChanged> All() => [.. _windows.Values];

    public IReadOnlyList<WindowStateChanged> ForSite(string siteId) =>
        _windows.Values.Where(w => w.SiteId == siteId).OrderBy(w => w.WindowId, StringComparer.Ordinal).ToList();
}
