using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Uplink;

/// <summary>
/// Where the Recorder's features hand their events. The implementation persists first (the outbox) and
/// sends later, so a caller never waits on the network and nothing is lost while the Console is away.
/// </summary>
public interface IEventSink
{
    /// <param name="siteEvent">The event.</param>
    /// <param name="snapshotJpeg">Optional proof picture; under a full outbox snapshots may be shed, events never.</param>
    /// <param name="cancellationToken">Stops waiting for room in the outbox.</param>
    ValueTask PublishAsync(SiteEvent siteEvent, byte[]? snapshotJpeg, CancellationToken cancellationToken);
}
