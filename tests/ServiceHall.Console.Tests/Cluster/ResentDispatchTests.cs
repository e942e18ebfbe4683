using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>
/// Two real Console nodes on one PostgreSQL: a batch node 1 committed but never dispatched (it died between commit and
/// handlers) raises its alert once when the Recorder resends it to node 2, and not again when it is resent once more.
/// </summary>
public sealed class ResentDispatchTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Fact]
    public async Task BatchStoredByANodeThatDiedBeforeDispatching_RaisesItsAlertOnce_OnTheNodeItIsResentTo()
    {
        await using var stores = await SharedStores.StartAsync();
        var node1 = await stores.StartNodeAsync();
        var node2 = await stores.StartNodeAsync();
        var key = node1.AddSite("hall-a", district: "d1");
        var batch = new EventBatchSent(
        [
            new EventRecorded(Guid.NewGuid(), 1, At, new CameraLost { CameraId = "cam-1", Reason = "no frames", OccurredAt = At }, null),
            new EventRecorded(Guid.NewGuid(), 2, At, new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At }, null),
        ]);
        // Node 1's commit, its handlers never run.
        await node1.App.Services.GetRequiredService<IEventStore>().StoreAsync("hall-a", batch);

        await using var toNode2 = node2.RecorderConnection("hall-a", key);
        await toNode2.StartAsync();
        var resent = await toNode2.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        // Its acknowledgement lost too: the Recorder sends the batch once more, to node 1 this time.
        await using var toNode1 = node1.RecorderConnection("hall-a", key);
        await toNode1.StartAsync();
        var again = await toNode1.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);

        Assert.Equal((0, 2), (resent.Stored, resent.Duplicates));
        Assert.Equal((0, 2), (again.Stored, again.Duplicates));
        var alerts = node2.App.Services.GetRequiredService<IAlertStore>().NewestFirst().Where(a => a.SiteId == "hall-a").ToList();
        var alert = Assert.Single(alerts);
        Assert.Equal((AlertTypes.CameraDown, "cam-1", AlertEngine.EventAlertId("hall-a", 1, AlertTypes.CameraDown, "cam-1")), (alert.Type, alert.Subject, alert.Id));
    }
}
