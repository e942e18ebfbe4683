using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>A feature that acts when a site's live status changes: the screens show it, the alert rules judge it.</summary>
public interface ISiteStatusHandler
{
    Task SiteChangedAsync(SiteStatusChanged status);
}

/// <summary>
/// Hands every change of a site's live status (Recorder connected, dropped, heartbeat, gone silent) to each
/// <see cref="ISiteStatusHandler"/>, in registration order, so Fleet knows nothing of who listens.
/// </summary>
public sealed class FleetChanges(IEnumerable<ISiteStatusHandler> handlers)
{
    private readonly ISiteStatusHandler[] _handlers = [.. handlers];

    public async Task PublishAsync(SiteStatusChanged status)
    {
        foreach (var handler in _handlers)
        {
            await handler.SiteChangedAsync(status);
        }
    }
}
