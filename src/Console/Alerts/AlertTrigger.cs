using Microsoft.Extensions.Options;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Monitor;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>Applies <see cref="AlertRules"/> to each new event, each event rejected for good and each change of a site's status, and shows at once every alert that opened or ended.</summary>
public sealed class AlertTrigger(AlertEngine alerts, MonitorBroadcaster broadcaster, IOptions<AlertOptions> options, TimeProvider time) : IIngestHandler, ISiteStatusHandler, IRejectedEventsHandler
{
    public Task HandleAsync(IngestedEvent ingested) =>
        AlertRules.ForEvent(ingested.Event, ingested.HasSnapshot ? ingested.Sequence : null) is { Count: > 0 } decisions ? ApplyAsync(decisions, ingested.SiteId, ingested.District, ingested.Sequence) : Task.CompletedTask;

    public Task SiteChangedAsync(SiteStatusChanged status) =>
        ApplyAsync(AlertRules.ForStatus(status, options.Value, time.GetUtcNow()), status.SiteId, status.District);

    public Task RejectedAsync(string siteId, string district, IReadOnlyList<EventRejected> rejected) =>
        ApplyAsync([AlertRules.ForRejected(rejected, time.GetUtcNow())], siteId, district);

    private async Task ApplyAsync(IReadOnlyList<AlertDecision> decisions, string siteId, string district, long? eventSequence = null)
    {
        var changed = decisions.Select(d => alerts.Apply(d, siteId, district, eventSequence)).OfType<AlertView>().ToList();
        foreach (var alert in changed)
        {
            await broadcaster.Alert(alert);
        }
    }
}
