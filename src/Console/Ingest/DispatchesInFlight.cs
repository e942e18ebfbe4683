using System.Collections.Concurrent;

namespace ServiceHall.Console.Ingest;

/// <summary>
/// The events this process stored or claimed and is still dispatching (until their marks are cleared):
/// their "dispatch pending" mark is set, but a resend of their batch reaching this same process (a Recorder that
/// reconnected while the first call was still dispatching) must not claim them a second time. Written by the group
/// commit's one writer after its commit, so a group sees every earlier group's events.
/// </summary>
internal sealed class DispatchesInFlight
{
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);

    /// <summary>Whether a duplicate found pending may be claimed: not if this process is dispatching it or stored it in this group.</summary>
    public bool Claimable(string key, HashSet<string> thisGroup) => !thisGroup.Contains(key) && !_keys.ContainsKey(key);

    /// <summary>The keys a group stored or claimed, once it committed.</summary>
    public void Committed(HashSet<string> thisGroup)
    {
        foreach (var key in thisGroup)
        {
            _keys[key] = 0;
        }
    }

    /// <summary>The stored and reclaimed events of dispatched batches, their marks cleared (or the clearing failed).</summary>
    public void Dispatched(IReadOnlyList<DispatchedBatch> dispatched)
    {
        foreach (var (siteId, result) in dispatched)
        {
            foreach (var entry in result.Stored.Concat(result.Reclaimed))
            {
                _keys.TryRemove(EventKeys.Key(siteId, entry.Sequence), out _);
            }
        }
    }
}
