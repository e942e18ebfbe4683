using Microsoft.Extensions.Logging.Abstractions;
using ServiceHall.Console.Patrol;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;

namespace ServiceHall.Console.Tests.Patrol;

/// <summary>The patrol store's facts, run on the LiteDB file and on PostgreSQL alike.</summary>
public abstract class PatrolStoreContract(StoreProvider provider) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    protected StoreWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync() => await World.DisposeAsync();

    /// <summary>A store on the world's current database, or on <paramref name="postgres"/> (another node's connection) when given.</summary>
    protected IPatrolStore Store(PostgresDatabase? postgres = null) => provider == StoreProvider.LiteDb
        ? new LiteDbPatrolStore(World.LiteDb)
        : new PostgresPatrolStore(postgres ?? World.Postgres);

    protected static PatrolStop[] Stops(params string[] sites) =>
        [.. sites.Select(s => new PatrolStop { SiteId = s, SiteName = s + "便民中心", CameraId = "cam-1", CameraName = "大厅" })];

    protected static PatrolFinding Finding(string verdict) => new()
    {
        Stop = 1, SiteId = "hall-a", CameraId = "cam-1", AtTicks = Now.AddMinutes(1).UtcTicks, By = "zhao", Verdict = verdict, Note = "窗口无人",
        SnapshotTakenAtTicks = Now.UtcTicks,
    };

    [Fact]
    public void Record_NumbersFindings_KeepsTheSnapshot_AndStopsAtTheEnd()
    {
        var store = Store();
        var patrol = store.Start("zhao", 30, Stops("hall-a", "hall-b"), Now);
        byte[] jpeg = [0xFF, 0xD8, 1, 2, 3];

        Assert.Equal(1, store.Record(patrol.Id, Finding("ok"), null)!.Number);
        var problem = store.Record(patrol.Id, Finding("problem"), jpeg)!;
        Assert.Equal((2, $"{patrol.Id}-2"), (problem.Number, problem.SnapshotId));
        Assert.Equal(jpeg, store.Snapshot(problem.SnapshotId!));

        Assert.True(store.End(patrol.Id, Now.AddMinutes(5)));
        Assert.False(store.End(patrol.Id, Now.AddMinutes(6)));
        Assert.Null(store.Record(patrol.Id, Finding("ok"), null));
        Assert.Null(store.Record(Guid.NewGuid().ToString("N"), Finding("ok"), null));

        var stored = store.Find(patrol.Id)!;
        Assert.Equal(Now.AddMinutes(5).UtcTicks, stored.EndedAtTicks);
        Assert.Equal([(1, "ok", (string?)null), (2, "problem", problem.SnapshotId)], stored.Findings.Select(f => (f.Number, f.Verdict, f.SnapshotId)));
        Assert.Null(store.Find("not-an-id"));
    }

    [Fact]
    public void List_NewestFirst_OnlyPatrolsWhoseEverySiteIsVisible()
    {
        var store = Store();
        var a = store.Start("zhao", 30, Stops("hall-a"), Now);
        store.Start("zhao", 30, Stops("hall-a", "hall-b"), Now.AddMinutes(1));
        var c = store.Start("qian", 30, Stops("hall-a"), Now.AddMinutes(2));
        store.Record(c.Id, Finding("ok"), null);

        var listed = store.List(site => site == "hall-a", 10);

        Assert.Equal([c.Id, a.Id], listed.Select(p => p.Id));
        Assert.Single(listed[0].Findings);
        Assert.Single(store.List(_ => true, 1));
    }

    [Fact]
    public void Reopen_KeepsPatrolsFindingsAndSnapshots()
    {
        var store = Store();
        var patrol = store.Start("zhao", 45, Stops("hall-a"), Now);
        var finding = store.Record(patrol.Id, Finding("problem"), [1, 2, 3])!;

        World.Reopen();
        store = Store();

        var stored = store.Find(patrol.Id)!;
        Assert.Equal(("zhao", 45, Now.UtcTicks, (long?)null), (stored.StartedBy, stored.IntervalSeconds, stored.StartedAtTicks, stored.EndedAtTicks));
        Assert.Equal(("hall-a便民中心", "大厅"), (stored.Stops[0].SiteName, stored.Stops[0].CameraName));
        var kept = Assert.Single(stored.Findings);
        Assert.Equal(("problem", "窗口无人", Now.AddMinutes(1).UtcTicks, (long?)Now.UtcTicks), (kept.Verdict, kept.Note, kept.AtTicks, kept.SnapshotTakenAtTicks));
        Assert.Equal([1, 2, 3], store.Snapshot(finding.SnapshotId!));
        Assert.Equal(2, store.Record(patrol.Id, Finding("ok"), null)!.Number);
    }
}

public sealed class LiteDbPatrolStoreTests() : PatrolStoreContract(StoreProvider.LiteDb);

public sealed class PostgresPatrolStoreTests() : PatrolStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public async Task Record_OnTwoNodesAtOnce_NumbersEveryFindingOnce()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var nodes = new[] { Store(), Store(second) };
        var patrol = nodes[0].Start("zhao", 30, Stops("hall-a"), Now);
        using var start = new Barrier(nodes.Length);

        await Task.WhenAll(nodes.Select(node => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 10; i++)
            {
                Assert.NotNull(node.Record(patrol.Id, Finding("ok"), null));
            }
        })));

        Assert.Equal(Enumerable.Range(1, 20), nodes[1].Find(patrol.Id)!.Findings.Select(f => f.Number));
    }
}
