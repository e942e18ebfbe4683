using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Ingest;

public sealed class LiteDbEventStoreTests() : EventStoreContract(StoreProvider.LiteDb);

public sealed class PostgresEventStoreTests() : EventStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public async Task TwoNodes_GivenTheSameBatchesAtOnce_StoreEachEventOnce_AndBothAcknowledgeEveryEvent()
    {
        using var other = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        IEventStore[] nodes = [Store, Open(other)];
        string[] sites = ["hall-a", "hall-b", "hall-c"];
        const int rounds = 20;
        const int perBatch = 25;
        var acks = new List<(string Site, EventBatchAcknowledged Ack)>();
        for (var round = 0; round < rounds; round++)
        {
            var batches = sites.ToDictionary(s => s, s => new EventBatchSent([.. Enumerable.Range(round * perBatch + 1, perBatch).Select(n => Entry(n))]));
            // Each node gets every site's batch, in opposite site orders, all at once: overlapping group commits.
            var sending = nodes.SelectMany((node, i) => (i == 0 ? sites : sites.Reverse()).Select(site =>
                Task.Run(async () => (site, await node.StoreAsync(site, batches[site]))))).ToList();
            foreach (var (site, result) in await Task.WhenAll(sending))
            {
                acks.Add((site, result.Acknowledgement));
            }
        }

        Assert.All(acks, a => Assert.Equal((perBatch, 0), (a.Ack.Stored + a.Ack.Duplicates, a.Ack.Rejected.Count)));
        foreach (var site in sites)
        {
            Assert.Equal(rounds * perBatch, acks.Where(a => a.Site == site).Sum(a => a.Ack.Stored));
            Assert.Equal(Enumerable.Range(1, rounds * perBatch).Select(n => (long)n), Store.ForSite(site).Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task TwoNodes_ResentTheSameUndispatchedBatchesAtOnce_DispatchEachEventOnce()
    {
        const int rounds = 10;
        const int perBatch = 20;
        var batches = Enumerable.Range(0, rounds)
            .Select(round => new EventBatchSent([.. Enumerable.Range(round * perBatch + 1, perBatch).Select(n => Entry(n))]))
            .ToList();
        // The node that stored them died before dispatching any.
        foreach (var batch in batches)
        {
            await Store.StoreAsync("hall-a", batch);
        }

        using var other = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var seen = new SeenEvents();
        // Two nodes other than the one that stored them (which would know it was still dispatching them itself).
        IEventStore[] stores = [Open(World.Postgres), Open(other)];
        EventDispatcher[] nodes = [Dispatcher(stores[0], seen), Dispatcher(stores[1], seen)];
        foreach (var batch in batches)
        {
            // The Recorder's batch reaches both nodes at once (its connection dropped mid-call and it resent to the other).
            await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
                await nodes[i].DispatchAsync("hall-a", await stores[i].StoreAsync("hall-a", batch)))));
        }

        Assert.Equal(Enumerable.Range(1, rounds * perBatch).Select(n => (long)n), seen.Sequences.Order());
        Assert.Empty(await ResentAsync(batches[0]));
    }

    [Fact]
    public async Task DatabaseDown_StoreRefusesWithRetryableError_NothingStored_AndTheSameBatchStoresOnceItIsBack()
    {
        await using var relay = DatabaseRelay.Start(new NpgsqlConnectionStringBuilder(World.Options.Value.ConnectionString).Port);
        var throughRelay = Options.Create(new StorageOptions
        {
            Provider = StorageOptions.Postgres,
            DataDirectory = World.DataDirectory,
            ConnectionString = new NpgsqlConnectionStringBuilder(World.Options.Value.ConnectionString) { Port = relay.Port }.ConnectionString,
        });
        using var node = new PostgresDatabase(throughRelay, NullLogger<PostgresDatabase>.Instance);
        var store = Open(node);
        await store.StoreAsync("hall-a", new EventBatchSent([Entry(1)]));
        var batch = new EventBatchSent([Entry(2), Entry(3)]);

        relay.Down();
        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.StoreAsync("hall-a", batch));
        var again = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.StoreAsync("hall-a", batch));
        // A node started while the database is down refuses to start rather than serve without a store.
        Assert.ThrowsAny<NpgsqlException>(() => new PostgresDatabase(throughRelay, NullLogger<PostgresDatabase>.Instance));

        Assert.True(refused.IsTransient || again.IsTransient, $"a retryable error, not '{refused.Message}'");
        Assert.Equal([1L], Store.ForSite("hall-a").Select(e => e.Sequence));
        relay.Up();
        var ack = (await store.StoreAsync("hall-a", batch)).Acknowledgement;
        Assert.Equal((2, 0), (ack.Stored, ack.Duplicates));
        Assert.Equal([1L, 2L, 3L], Store.ForSite("hall-a").Select(e => e.Sequence));
    }
}

/// <summary>What both event stores promise: each (site, sequence) stored once, reused sequences refused, queries by site and time.</summary>
public abstract class EventStoreContract(StoreProvider provider) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow.AddHours(-1);

    protected StoreWorld World { get; private set; } = null!;

    protected IEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = await StoreWorld.CreateAsync(provider);
        Store = OpenStore();
    }

    public async Task DisposeAsync() => await World.DisposeAsync();

    private IEventStore OpenStore() => provider == StoreProvider.LiteDb
        ? new LiteDbEventStore(World.LiteDb, Options.Create(new IngestOptions()), Options.Create(new FleetOptions()), TimeProvider.System)
        : Open(World.Postgres);

    protected static PostgresEventStore Open(PostgresDatabase db) =>
        new(db, Options.Create(new IngestOptions()), Options.Create(new FleetOptions()), TimeProvider.System);

    protected static EventRecorded Entry(long sequence, string cameraId = "cam-1", DateTimeOffset? at = null, byte[]? jpeg = null, bool staffed = false) =>
        new(
            Guid.NewGuid(),
            sequence,
            At,
            staffed
                ? new WindowStaffed { CameraId = cameraId, WindowId = "w01", OccurredAt = at ?? At }
                : new WindowVacated { CameraId = cameraId, WindowId = "w01", OccurredAt = at ?? At },
            jpeg);

    /// <summary>A dispatcher over <paramref name="store"/> whose one handler notes every event it is handed.</summary>
    protected EventDispatcher Dispatcher(IEventStore store, SeenEvents seen) => new(
        provider == StoreProvider.LiteDb ? new LiteDbSiteStore(World.LiteDb, TimeProvider.System) : new PostgresSiteStore(World.Postgres, TimeProvider.System),
        store,
        [seen],
        [],
        TimeProvider.System,
        NullLogger<EventDispatcher>.Instance);

    /// <summary>The batch resent to a freshly opened store and dispatched; the sequences the handlers saw.</summary>
    protected async Task<IReadOnlyList<long>> ResentAsync(EventBatchSent batch)
    {
        var seen = new SeenEvents();
        var store = OpenStore();
        await Dispatcher(store, seen).DispatchAsync("hall-a", await store.StoreAsync("hall-a", batch));
        return [.. seen.Sequences];
    }

    [Fact]
    public async Task EventStoredButNeverDispatched_IsDispatchedOnce_WhenItsBatchIsResent_BeforeTheBatchsNewEvents()
    {
        var batch = new EventBatchSent([Entry(1), Entry(2), Entry(3)]);
        await Store.StoreAsync("hall-a", batch);
        // The node is killed after the commit, before its handlers ran; the Recorder, never acknowledged, resends
        // (to the restarted node, or another) with what it recorded since.
        World.Reopen();
        Store = OpenStore();
        var seen = new SeenEvents();
        var dispatcher = Dispatcher(Store, seen);
        var resent = new EventBatchSent([.. batch.Events, Entry(4)]);

        var result = await Store.StoreAsync("hall-a", resent);
        await dispatcher.DispatchAsync("hall-a", result);
        var again = await Store.StoreAsync("hall-a", resent);
        await dispatcher.DispatchAsync("hall-a", again);

        Assert.Equal((1, 3), (result.Acknowledgement.Stored, result.Acknowledgement.Duplicates));
        Assert.Equal([1L, 2L, 3L], result.Reclaimed.Select(e => e.Sequence));
        Assert.Equal(batch.Events.Select(e => e.EventId), result.Reclaimed.Select(e => e.EventId));
        Assert.Equal([1L, 2L, 3L, 4L], seen.Sequences);
        Assert.Equal((0, 4), (again.Acknowledgement.Stored, again.Acknowledgement.Duplicates));
        Assert.Empty(again.Reclaimed);
        Assert.Empty(await ResentAsync(resent));
    }

    [Fact]
    public async Task UndispatchedBatch_ResentSplitDifferently_IsDispatchedOnce_PieceByPiece()
    {
        var batch = new EventBatchSent([Entry(1), Entry(2), Entry(3), Entry(4)]);
        await Store.StoreAsync("hall-a", batch);
        World.Reopen();

        var firstHalf = await ResentAsync(new EventBatchSent([.. batch.Events.Take(2)]));
        var rest = await ResentAsync(new EventBatchSent([.. batch.Events.Skip(1), Entry(5)]));
        var all = await ResentAsync(new EventBatchSent([.. batch.Events]));

        Assert.Equal([1L, 2L], firstHalf);
        Assert.Equal([3L, 4L, 5L], rest);
        Assert.Empty(all);
    }

    [Fact]
    public async Task DispatchedBatch_ResentAfterARestart_IsADuplicate_NotDispatchedAgain()
    {
        var seen = new SeenEvents();
        var batch = new EventBatchSent([Entry(1), Entry(2)]);
        await Dispatcher(Store, seen).DispatchAsync("hall-a", await Store.StoreAsync("hall-a", batch));

        World.Reopen();
        Assert.Empty(await ResentAsync(batch));
        Assert.Equal([1L, 2L], seen.Sequences);
    }

    [Fact]
    public async Task SameBatchTwiceAtOnce_ToOneNode_IsDispatchedOnce()
    {
        var seen = new SeenEvents();
        var dispatcher = Dispatcher(Store, seen);
        var sites = Enumerable.Range(1, 6).Select(i => $"hall-{i}").ToList();
        var batches = sites.ToDictionary(s => s, _ => new EventBatchSent([.. Enumerable.Range(1, 30).Select(n => Entry(n))]));

        // Each batch twice at once (a Recorder that reconnected while its first call was still dispatching): in one group
        // commit or in two, the second finds the first's events pending, but they are this node's to dispatch.
        await Task.WhenAll(sites.Concat(sites).Select(site => Task.Run(async () =>
            await dispatcher.DispatchAsync(site, await Store.StoreAsync(site, batches[site])))));

        Assert.Equal(sites.Count * 30, seen.Events.Count);
        Assert.Equal(sites.Count * 30, seen.Events.Distinct().Count());
    }

    [Fact]
    public async Task Batch_IsStored_AndItsReplayStoresNothingTwice()
    {
        var batch = new EventBatchSent([Entry(10), Entry(11, jpeg: [0xFF, 0xD8, 0xFF, 0xD9]), Entry(12)]);

        var first = await Store.StoreAsync("hall-a", batch);
        var replay = await Store.StoreAsync("hall-a", batch);

        Assert.Equal(new EventBatchAcknowledged(10, 12, 3, 0, []), first.Acknowledgement with { Rejected = [] });
        Assert.Empty(first.Acknowledgement.Rejected);
        Assert.Equal(batch.Events, first.Stored);
        Assert.Equal((10, 12, 0, 3), (replay.Acknowledgement.FirstSequence, replay.Acknowledgement.LastSequence, replay.Acknowledgement.Stored, replay.Acknowledgement.Duplicates));
        Assert.Empty(replay.Stored);
        Assert.Equal([10L, 11L, 12L], Store.ForSite("hall-a").Select(e => e.Sequence));
        Assert.Equal(batch.Events.Select(e => e.EventId), Store.ForSite("hall-a").Select(e => e.EventId));
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], Store.Snapshot("hall-a", 11));
        Assert.Null(Store.Snapshot("hall-a", 10));
        Assert.Equal((3, 12L, 0L), (Store.Count(), Store.HighestSequence("hall-a"), Store.HighestSequence("hall-b")));
    }

    [Fact]
    public async Task StoredEvent_ReadsBackAsItArrived()
    {
        var entry = Entry(5, jpeg: [0xFF, 0xD8, 0xFF, 0xD9]);

        await Store.StoreAsync("hall-a", new EventBatchSent([entry]));

        var stored = Assert.Single(Store.ForSite("hall-a"));
        Assert.Equal(entry.Event, stored.ToEvent());
        Assert.Equal(
            (EventKeys.Key("hall-a", 5), "hall-a", nameof(WindowVacated), "cam-1", (string?)"w01", At.UtcTicks, EventKeys.SiteTime("hall-a", At.UtcTicks), true),
            (stored.Id, stored.SiteId, stored.Type, stored.CameraId, stored.WindowId, stored.OccurredAtTicks, stored.SiteTime, stored.HasSnapshot));
    }

    [Fact]
    public async Task SequenceReusedWithAnotherEventId_IsRejected_NotOverwritten_TheRestIsStored()
    {
        var original = Entry(7);
        await Store.StoreAsync("hall-a", new EventBatchSent([original]));

        var result = await Store.StoreAsync("hall-a", new EventBatchSent([Entry(6, cameraId: "../../etc"), Entry(7), Entry(8)]));

        Assert.Equal([6L, 7L], result.Acknowledgement.Rejected.Select(r => r.Sequence));
        Assert.Contains("not a slug", result.Acknowledgement.Rejected[0].Reason, StringComparison.Ordinal);
        Assert.Contains($"already holds another event ({original.EventId})", result.Acknowledgement.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Equal((1, 0), (result.Acknowledgement.Stored, result.Acknowledgement.Duplicates));
        Assert.Equal([original.EventId], Store.ForSite("hall-a").Where(e => e.Sequence == 7).Select(e => e.EventId));
        Assert.Equal([7L, 8L], Store.ForSite("hall-a").Select(e => e.Sequence));
    }

    [Fact]
    public async Task ConcurrentBatches_OfManySites_AreEachStoredOnce()
    {
        var sites = Enumerable.Range(1, 8).Select(i => $"hall-{i}").ToList();
        var batches = sites.ToDictionary(s => s, _ => new EventBatchSent([.. Enumerable.Range(1, 40).Select(n => Entry(n))]));

        var results = await Task.WhenAll(sites.Concat(sites).Select(site => Task.Run(() => Store.StoreAsync(site, batches[site]))));

        Assert.Equal(sites.Count * 40, results.Sum(r => r.Acknowledgement.Stored));
        Assert.Equal(sites.Count * 40, results.Sum(r => r.Acknowledgement.Duplicates));
        Assert.All(sites, site => Assert.Equal(40, Store.ForSite(site).Count));
    }

    [Fact]
    public async Task InRange_GivesTheSitesEventsInThePeriod_OldestFirst_UpToTheLimit()
    {
        await Store.StoreAsync("hall-a", new EventBatchSent([.. Enumerable.Range(1, 10).Select(n => Entry(n, at: At.AddMinutes(n)))]));
        await Store.StoreAsync("hall-b", new EventBatchSent([.. Enumerable.Range(1, 10).Select(n => Entry(n, at: At.AddMinutes(n)))]));
        await Store.StoreAsync("hall-c", new EventBatchSent([.. Enumerable.Range(1, 10).Select(n => Entry(n, at: At.AddMinutes(n)))]));

        var found = Store.InRange(new HashSet<string> { "hall-b", "hall-a" }, At.AddMinutes(3), At.AddMinutes(6), 100);
        var limited = Store.InRange(new HashSet<string> { "hall-b", "hall-a" }, At.AddMinutes(3), At.AddMinutes(6), 3);
        var none = Store.InRange(new HashSet<string> { "hall-x" }, At, At.AddDays(1), 100);

        (string, long)[] expected = [("hall-a", 3), ("hall-b", 3), ("hall-a", 4), ("hall-b", 4), ("hall-a", 5), ("hall-b", 5)];
        Assert.Equal(expected, found.Select(e => (e.SiteId, e.Sequence)));
        Assert.Equal(expected[..3], limited.Select(e => (e.SiteId, e.Sequence)));
        Assert.Empty(none);
    }

    [Fact]
    public async Task OfType_GivesOneTypeBySiteThenSequence()
    {
        await Store.StoreAsync("hall-b", new EventBatchSent([Entry(1, staffed: true), Entry(2), Entry(3, staffed: true)]));
        await Store.StoreAsync("hall-a", new EventBatchSent([Entry(4, staffed: true), Entry(5)]));

        Assert.Equal([("hall-a", 4L), ("hall-b", 1L), ("hall-b", 3L)], Store.OfType(nameof(WindowStaffed)).Select(e => (e.SiteId, e.Sequence)));
        Assert.Empty(Store.OfType("Nonsense"));
    }

    [Fact]
    public async Task Events_AreKeptAcrossARestart_AndAReplayThenIsADuplicate()
    {
        var batch = new EventBatchSent([Entry(1), Entry(2, jpeg: [0xFF, 0xD8, 0xFF, 0xD9])]);
        await Store.StoreAsync("hall-a", batch);

        World.Reopen();
        Store = OpenStore();
        var replay = await Store.StoreAsync("hall-a", batch);

        Assert.Equal((0, 2), (replay.Acknowledgement.Stored, replay.Acknowledgement.Duplicates));
        Assert.Equal([1L, 2L], Store.ForSite("hall-a").Select(e => e.Sequence));
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xD9], Store.Snapshot("hall-a", 2));
        Assert.Equal(2L, Store.HighestSequence("hall-a"));
    }
}

/// <summary>An ingest handler noting every event it is handed, from any thread.</summary>
public sealed class SeenEvents : IIngestHandler
{
    private readonly ConcurrentQueue<(string SiteId, long Sequence)> _events = new();

    public IReadOnlyList<(string SiteId, long Sequence)> Events => [.. _events];

    public IReadOnlyList<long> Sequences => [.. _events.Select(e => e.Sequence)];

    public Task HandleAsync(IngestedEvent ingested)
    {
        _events.Enqueue((ingested.SiteId, ingested.Sequence));
        return Task.CompletedTask;
    }
}
