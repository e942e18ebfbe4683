using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Ingest;
using ServiceHall.Recorder.Tests.Uplink;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Security;

/// <summary>
/// Finding 12 of the security review, the Recorder's side: an event that can never be delivered (the Console rejects
/// it for good, or this Recorder cannot read what a newer version wrote) used to block or vanish. Against a real
/// Console on HTTPS it is now parked in the Recorder's database with its reason, the Console raises
/// <c>EventsParked</c>, and every later event arrives.
/// </summary>
public sealed class OutboxParkingTests
{
    [Fact]
    public async Task EventsThatCanNeverBeDelivered_AreParkedWithTheirReason_AndEveryLaterEventArrives()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        using var dir = new TempDirectory();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        long unreadable;
        await using (var offline = UplinkRig.Offline(dir.Path, TimeProvider.System))
        {
            await offline.Outbox.PublishAsync(UplinkRig.Staffed(1, at), null, CancellationToken.None);
            // The Console refuses this one for good: a camera id that is not a slug.
            await offline.Outbox.PublishAsync(UplinkRig.Staffed(2, at) with { CameraId = "Cam 2" }, null, CancellationToken.None);
            await offline.Outbox.PublishAsync(UplinkRig.Staffed(3, at), null, CancellationToken.None);
            var last = offline.Outbox.Peek(10, 1024 * 1024)[^1].Sequence;

            // What a newer Recorder left in the database before a downgrade: a type this version does not know.
            unreadable = last + 1;
            offline.Database.Database.GetCollection<OutboxEntry>("outbox").Insert(new OutboxEntry
            {
                Sequence = unreadable,
                EventId = Guid.NewGuid(),
                RecordedAtTicks = at.UtcTicks,
                EventJson = $$"""{"type":"WindowLeftEarly","windowId":"w09","cameraId":"cam-1","occurredAt":"{{at:O}}"}""",
            });
        }

        await using var rig = await UplinkRig.StartAsync(dir.Path, server.BaseAddress, "hall-a", key, TimeProvider.System);
        await rig.Outbox.PublishAsync(UplinkRig.Staffed(5, at), null, CancellationToken.None);
        var store = server.App.Services.GetRequiredService<IEventStore>();
        await Eventually.True(() => rig.Outbox.Count == 0 && store.ForSite("hall-a").Count == 3, TimeSpan.FromSeconds(30), "every deliverable event to arrive");

        Assert.Equal(["w01", "w03", "w05"], store.ForSite("hall-a").Select(e => e.WindowId));
        var parked = rig.Outbox.Parked();
        Assert.Equal(2, parked.Count);
        Assert.Contains("rejected by the Console", parked[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not a slug", parked[0].Reason, StringComparison.Ordinal);
        Assert.Contains("Cam 2", parked[0].Entry.EventJson, StringComparison.Ordinal);
        Assert.Equal(unreadable, parked[1].Sequence);
        Assert.Contains("cannot read it", parked[1].Reason, StringComparison.Ordinal);
        Assert.Contains("WindowLeftEarly", parked[1].Entry.EventJson, StringComparison.Ordinal);
        var alerts = server.App.Services.GetRequiredService<AlertEngine>().List(_ => true, includeResolved: false, 100);
        Assert.Contains(alerts, a => a.Type == AlertTypes.EventsParked && a.SiteId == "hall-a");
    }
}
