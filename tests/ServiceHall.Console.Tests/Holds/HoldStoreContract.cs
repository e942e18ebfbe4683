using Microsoft.Extensions.Logging.Abstractions;
using ServiceHall.Console.Holds;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Holds;

/// <summary>The evidence hold store's facts, run on the LiteDB file and on PostgreSQL alike.</summary>
public abstract class HoldStoreContract(StoreProvider provider) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    protected StoreWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync() => await World.DisposeAsync();

    /// <summary>A store on the world's current database, or on <paramref name="postgres"/> (another node's connection) when given.</summary>
    protected IHoldStore Store(PostgresDatabase? postgres = null) => provider == StoreProvider.LiteDb
        ? new LiteDbHoldStore(World.LiteDb)
        : new PostgresHoldStore(postgres ?? World.Postgres);

    protected static HoldRequested Request(string id) => new(id, "cam-1", Now.AddHours(-2), Now.AddHours(-1), "投诉 2026-117", "zhao");

    protected static HoldPlaced Placed(string id) => new()
    {
        HoldId = id, CameraId = "cam-2", OccurredAt = Now.AddMinutes(5), From = Now.AddHours(-3), To = Now.AddHours(-2), Reason = "clip", PlacedBy = "qian",
    };

    protected static HoldReleased ReleasedBy(string id, string by) => new() { HoldId = id, CameraId = "cam-1", OccurredAt = Now.AddMinutes(9), ReleasedBy = by };

    [Fact]
    public void Request_IsPending_UntilTheRecorderConfirms()
    {
        var store = Store();
        var hold = store.Request("hall-a", Request("h1"), Now);
        Assert.Equal(HoldStatus.Requested, hold.Status);
        Assert.Equal(["h1"], store.Pending("hall-a").Select(h => h.Id));
        Assert.Empty(store.Pending("hall-b"));

        store.Confirmed("hall-a", Placed("h1"));
        store.Confirmed("hall-a", Placed("h1"));

        var held = store.Find("hall-a", "h1")!;
        Assert.Equal((HoldStatus.Held, "cam-1", Now, "投诉 2026-117"), (held.Status, held.CameraId, new DateTimeOffset(held.PlacedAtTicks, TimeSpan.Zero), held.Reason));
        Assert.Empty(store.Pending("hall-a"));
        Assert.Null(store.Find("hall-b", "h1"));
    }

    [Fact]
    public async Task IngestedConfirmation_OfAHoldPlacedElsewhere_IsAddedAsHeld_Once()
    {
        var store = Store();
        var ingested = new IngestedEvent("hall-a", "东城", 7, Placed("clip-1"), Now);

        await store.HandleAsync(ingested);
        await store.HandleAsync(ingested);

        var hold = Assert.Single(store.ForSite("hall-a"));
        Assert.Equal(("clip-1", HoldStatus.Held, "cam-2", "qian"), (hold.Id, hold.Status, hold.CameraId, hold.PlacedBy));
        Assert.Equal((Now.AddHours(-3), Now.AddHours(-2)), (new DateTimeOffset(hold.FromTicks, TimeSpan.Zero), new DateTimeOffset(hold.ToTicks, TimeSpan.Zero)));
    }

    [Fact]
    public void RequestRelease_Once_ThenConfirmed_KeepsWhoReleasedIt()
    {
        var store = Store();
        store.Request("hall-a", Request("h1"), Now);
        store.Confirmed("hall-a", Placed("h1"));
        var hold = store.Find("hall-a", "h1")!;

        Assert.True(store.RequestRelease(hold, "li"));
        Assert.False(store.RequestRelease(store.Find("hall-a", "h1")!, "sun"));
        Assert.Equal([(HoldStatus.ReleaseRequested, "li")], store.Pending("hall-a").Select(h => (h.Status, h.ReleasedBy)));

        store.Confirmed("hall-a", ReleasedBy("h1", "recorder"));
        var released = store.Find("hall-a", "h1")!;
        Assert.Equal((HoldStatus.Released, "li"), (released.Status, released.ReleasedBy));
        Assert.False(store.RequestRelease(released, "sun"));
    }

    [Fact]
    public void ReleaseConfirmed_OfAHoldNotReleasedHere_TakesTheRecordersName_AndUnknownHoldsAreIgnored()
    {
        var store = Store();
        store.Confirmed("hall-a", Placed("clip-1"));

        store.Confirmed("hall-a", ReleasedBy("clip-1", "wang"));
        store.Confirmed("hall-a", ReleasedBy("nothing", "wang"));

        var hold = Assert.Single(store.ForSite("hall-a"));
        Assert.Equal((HoldStatus.Released, "wang"), (hold.Status, hold.ReleasedBy));
    }

    [Fact]
    public void ForSite_NewestFirst()
    {
        var store = Store();
        store.Request("hall-a", Request("h1"), Now);
        store.Request("hall-a", Request("h2"), Now.AddMinutes(1));
        store.Request("hall-b", Request("h3"), Now.AddMinutes(2));

        Assert.Equal(["h2", "h1"], store.ForSite("hall-a").Select(h => h.Id));
    }

    [Fact]
    public void Reopen_KeepsHoldsAndTheirState()
    {
        var store = Store();
        store.Request("hall-a", Request("h1"), Now);
        store.Confirmed("hall-a", Placed("clip-1"));

        World.Reopen();
        store = Store();

        Assert.Equal([("clip-1", HoldStatus.Held), ("h1", HoldStatus.Requested)], store.ForSite("hall-a").Select(h => (h.Id, h.Status)));
        Assert.Equal(["h1"], store.Pending("hall-a").Select(h => h.Id));
    }
}

public sealed class LiteDbHoldStoreTests() : HoldStoreContract(StoreProvider.LiteDb);

public sealed class PostgresHoldStoreTests() : HoldStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public async Task TwoNodes_ReleasingOneHoldAtOnce_OnlyOneReleaseCounts()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var nodes = new[] { Store(), Store(second) };
        nodes[0].Request("hall-a", Request("h1"), Now);
        using var start = new Barrier(nodes.Length);

        var released = await Task.WhenAll(nodes.Select((node, i) => Task.Run(() =>
        {
            var hold = node.Find("hall-a", "h1")!;
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return node.RequestRelease(hold, $"node-{i}");
        })));

        var winner = Assert.Single(Enumerable.Range(0, nodes.Length), i => released[i]);
        Assert.Equal($"node-{winner}", nodes[1].Find("hall-a", "h1")!.ReleasedBy);
    }

    [Fact]
    public async Task TwoNodes_IngestingOneConfirmation_AddTheHoldOnce()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var nodes = new[] { Store(), Store(second) };
        using var start = new Barrier(nodes.Length);

        await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            await node.HandleAsync(new IngestedEvent("hall-a", "东城", 7, Placed("clip-1"), Now));
        })));

        Assert.Equal(HoldStatus.Held, Assert.Single(nodes[0].ForSite("hall-a")).Status);
    }
}
