using ServiceHall.Console.Cluster;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// Applies what other nodes heard from their Recorders (connections, heartbeats, window states, snapshots) to this
/// node's fleet state, and at start and after a Redis outage reloads the shared tables, so a node shows every site
/// whichever node its Recorder is connected to. Nothing is pushed to screens here: the node that heard it already
/// pushed to every screen through the backplane.
/// </summary>
public sealed partial class FleetSharing(INodeBus bus, FleetState fleet, WindowBoard windows, SnapshotCache snapshots, ILogger<FleetSharing> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await bus.SubscribeAsync<SiteLinkChanged>(FleetState.LinkTopic, link => Done(() => fleet.ApplyLink(link)));
        await bus.SubscribeAsync<SiteHeard>(FleetState.HeardTopic, heard => Done(() => fleet.Apply(heard)));
        await bus.SubscribeAsync<WindowStateChanged>(WindowBoard.Topic, change => Done(() => windows.ApplyShared(change)));
        await bus.SubscribeAsync<SnapshotCache.CameraSnapshot>(SnapshotCache.Topic, shared => Done(() =>
        {
            snapshots.StoreShared(shared);
            fleet.SnapshotStored(shared.SiteId, shared.CameraId, shared.Snapshot.TakenAt);
        }));
        bus.Rejoined += () => _ = ReloadAsync();
        await ReloadAsync().WaitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReloadAsync()
    {
        var heard = await bus.LoadAsync<SiteHeard>(FleetState.HeardTopic);
        foreach (var site in heard)
        {
            fleet.Apply(site);
        }

        var states = await bus.LoadAsync<WindowStateChanged>(WindowBoard.Topic);
        foreach (var state in states)
        {
            windows.ApplyShared(state);
        }

        if (heard.Count + states.Count > 0)
        {
            LogReloaded(logger, heard.Count, states.Count);
        }
    }

    private static Task Done(Action apply)
    {
        apply();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fleet state reloaded from the other nodes: {Sites} sites, {Windows} windows")]
    private static partial void LogReloaded(ILogger logger, int sites, int windows);
}
