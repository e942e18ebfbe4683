using ServiceHall.Console.Cluster;

namespace ServiceHall.Console.Viewing;

/// <summary>
/// Keeps the nodes' views of each other: live segments pushed to another node join this node's streams, other nodes'
/// viewers count for their Recorders, and every few seconds this node says it is alive and forgets the nodes that
/// stopped saying so. On start it asks the others to announce what they watch.
/// </summary>
public sealed class ViewingSharing(INodeBus bus, LiveStreams streams, OtherNodesViewers others, ViewerRegistry viewers, ViewingNotifier notifier, TimeProvider time) : BackgroundService
{
    /// <summary>How often a node says it is alive.</summary>
    public static readonly TimeSpan AnnounceEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await bus.SubscribeAsync<LiveStreams.SharedSegment>(LiveStreams.Topic, segment =>
        {
            streams.AppendShared(segment);
            return Task.CompletedTask;
        });
        await bus.SubscribeAsync<NodeWatching>(ViewingNotifier.Topic, watching =>
        {
            others.Set(watching);
            return notifier.SendAsync([watching.SiteId]);
        });
        await bus.SubscribeAsync<NodeAlive>(ViewingNotifier.AliveTopic, alive =>
        {
            others.Alive(alive.NodeId);
            if (alive.Hello)
            {
                notifier.Announce(viewers.WatchedSites());
            }

            return Task.CompletedTask;
        });
        bus.Rejoined += () => bus.Publish(ViewingNotifier.AliveTopic, new NodeAlive(bus.NodeId, Hello: true));
        bus.Publish(ViewingNotifier.AliveTopic, new NodeAlive(bus.NodeId, Hello: true));

        using var timer = new PeriodicTimer(AnnounceEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                bus.Publish(ViewingNotifier.AliveTopic, new NodeAlive(bus.NodeId, Hello: false));
                if (others.ForgetSilent() is { Count: > 0 } sites)
                {
                    await notifier.SendAsync(sites);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }
}
