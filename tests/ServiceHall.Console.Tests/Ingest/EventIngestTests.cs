using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Ingest;

/// <summary>PublishEvents on real Kestrel with the real SignalR client: validated, stored once, acknowledged.</summary>
public sealed class EventIngestTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    private static EventRecorded Entry(long sequence, string cameraId = "cam-1", DateTimeOffset? at = null, byte[]? jpeg = null) =>
        new(Guid.NewGuid(), sequence, At, new WindowVacated { CameraId = cameraId, WindowId = "w01", OccurredAt = at ?? At }, jpeg);

    private static async Task<(ConsoleServer Server, HubConnection Recorder)> StartAsync(string siteId = "hall-a")
    {
        var server = await ConsoleServer.StartAsync();
        var recorder = server.RecorderConnection(siteId, server.AddSite(siteId));
        await recorder.StartAsync();
        return (server, recorder);
    }

    [Fact]
    public async Task Batch_IsStoredThenAcknowledged_AndItsReplayStoresNothingTwice()
    {
        var (server, recorder) = await StartAsync();
        await using var _ = server;
        await using var __ = recorder;
        var batch = new EventBatchSent([Entry(10), Entry(11, jpeg: [0xFF, 0xD8, 0xFF, 0xD9]), Entry(12)]);

        var first = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        var replay = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);

        Assert.Equal(new EventBatchAcknowledged(10, 12, 3, 0, []), first with { Rejected = [] });
        Assert.Equal((10, 12, 0, 3), (replay.FirstSequence, replay.LastSequence, replay.Stored, replay.Duplicates));
        var store = server.App.Services.GetRequiredService<IEventStore>();
        Assert.Equal([10L, 11L, 12L], store.ForSite("hall-a").Select(e => e.Sequence));
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], store.Snapshot("hall-a", 11));
    }

    [Fact]
    public async Task BadEvents_AreRejectedWithReason_TheRestOfTheBatchIsStored()
    {
        var (server, recorder) = await StartAsync();
        await using var _ = server;
        await using var __ = recorder;
        var batch = new EventBatchSent(
        [
            Entry(1),
            Entry(2, cameraId: "../../etc"),
            Entry(3, at: At.AddDays(2)),
            Entry(4, jpeg: [1, 2, 3, 4]),
            Entry(5),
        ]);

        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);

        Assert.Equal(2, ack.Stored);
        Assert.Equal([2L, 3L, 4L], ack.Rejected.Select(r => r.Sequence));
        Assert.Contains("not a slug", ack.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains("ahead of the Console's clock", ack.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("not a JPEG", ack.Rejected[2].Reason, StringComparison.Ordinal);
        Assert.Equal([1L, 5L], server.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a").Select(e => e.Sequence));
    }

    [Fact]
    public async Task SequenceReusedWithAnotherEventId_IsRejected_NotOverwritten()
    {
        var (server, recorder) = await StartAsync();
        await using var _ = server;
        await using var __ = recorder;
        var original = Entry(7);
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([original]));

        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(7)]));

        Assert.Contains("already holds another event", Assert.Single(ack.Rejected).Reason, StringComparison.Ordinal);
        Assert.Equal(original.EventId, Assert.Single(server.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a")).EventId);
    }

    [Fact]
    public async Task MalformedBatches_AreRefusedWithReason_AndTheConnectionCarriesOn()
    {
        var (server, recorder) = await StartAsync();
        await using var _ = server;
        await using var __ = recorder;

        var descending = await Assert.ThrowsAsync<HubException>(() => recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(5), Entry(4)])));
        var empty = await Assert.ThrowsAsync<HubException>(() => recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents), new EventBatchSent([])));
        var tooMany = await Assert.ThrowsAsync<HubException>(() => recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents), new EventBatchSent(Enumerable.Range(1, EventBatchLimits.MaxEvents + 1).Select(i => Entry(i)).ToList())));
        // An event type this Console does not know fails that event alone (the Recorder parks it), never the batch.
        var unknownType = await recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents), new { events = new[] { new { eventId = Guid.NewGuid(), sequence = 1, recordedAt = At, @event = new { type = "Nonsense" } } } });

        Assert.Contains("ascending", descending.Message, StringComparison.Ordinal);
        Assert.Contains("no events", empty.Message, StringComparison.Ordinal);
        Assert.Contains("more than", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 0), (unknownType.FirstSequence, unknownType.LastSequence, unknownType.Stored));
        Assert.Contains("'Nonsense' is not known to this Console", Assert.Single(unknownType.Rejected).Reason, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, recorder.State);
        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(1)]));
        Assert.Equal(1, ack.Stored);
    }

    [Fact]
    public async Task ARecorder_PublishesOnlyForItsOwnSite()
    {
        var (server, recorder) = await StartAsync("hall-a");
        await using var _ = server;
        await using var __ = recorder;
        server.AddSite("hall-b");

        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(1)]));

        var store = server.App.Services.GetRequiredService<IEventStore>();
        Assert.Single(store.ForSite("hall-a"));
        Assert.Empty(store.ForSite("hall-b"));
    }

    [Fact]
    public async Task OversizedBatch_ClosesOnlyThatConnection_OtherSitesCarryOn()
    {
        var (server, hostile) = await StartAsync("hall-a");
        await using var _ = server;
        await using var __ = hostile;
        await using var neighbour = server.RecorderConnection("hall-b", server.AddSite("hall-b"));
        await neighbour.StartAsync();
        var huge = new byte[3 * 1024 * 1024];
        huge[0] = 0xFF;
        huge[1] = 0xD8;

        await Assert.ThrowsAnyAsync<Exception>(() => hostile.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(1, jpeg: huge)])));
        var ack = await neighbour.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(1)]));

        Assert.Equal(1, ack.Stored);
        Assert.Empty(server.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a"));
    }
}
