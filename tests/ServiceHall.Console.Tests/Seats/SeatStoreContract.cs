using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Seats;

/// <summary>The seat store's facts, run on the LiteDB file and on PostgreSQL alike.</summary>
public abstract class SeatStoreContract(StoreProvider provider) : IAsyncLifetime
{
    protected static readonly List<double[]> Seat = [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8], [0.1, 0.8]];
    protected static readonly List<double[]> Moved = [[0.15, 0.25], [0.4, 0.2], [0.4, 0.8], [0.1, 0.8]];
    private static readonly HallHours Hours = new("Asia/Shanghai", ["09:00-12:00", "13:30-17:30"], [DayOfWeek.Monday, DayOfWeek.Tuesday], ["2026-10-01"], ["2026-10-10"]);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));

    protected StoreWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync() => await World.DisposeAsync();

    /// <summary>A store on the world's current database, or on <paramref name="postgres"/> (another node's connection) when given.</summary>
    protected SeatStore Store(PostgresDatabase? postgres = null) => provider == StoreProvider.LiteDb
        ? new LiteDbSeatStore(World.LiteDb, Time)
        : new PostgresSeatStore(postgres ?? World.Postgres, Time);

    protected static WindowsReported Windows(IReadOnlyList<double[]> seat, HallHours? hours = null) =>
        new([new WindowConfigured("cam-1", "w01", "一号窗口", ["社保", "医保"], seat, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5))], hours);

    [Fact]
    public void Reported_WindowsAndSchedule_AreReadBackPerSite()
    {
        var store = Store();
        store.Reported("hall-a", Windows(Seat, Hours));
        store.Reported("hall-b", Windows(Moved));

        var window = Assert.Single(store.Windows("hall-a"));
        Assert.Equal(["社保", "医保"], window.Departments);
        Assert.True(SeatPolygon.SameAs(Seat, window.Seat));
        Assert.Equal(Hours.Hours, store.Schedule("hall-a")!.Hours);
        Assert.Null(store.Schedule("hall-b"));
        Assert.Empty(store.Windows("hall-c"));
        Assert.Equal(["hall-a", "hall-b"], store.AllWindows().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Request_SupersedesTheOlderPendingChangeOfTheSameWindow()
    {
        var store = Store();
        var first = store.Request("hall-a", "cam-1", "w01", Seat, "admin");
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = store.Request("hall-a", "cam-1", "w01", Moved, "admin");

        var unsent = store.Reported("hall-a", Windows(Seat));

        Assert.Equal([second.Id], unsent.Select(c => c.Id));
        var view = Assert.Single(store.View("hall-a").Changes);
        Assert.Equal((second.Id, SeatChangeStates.Pending), (view.ChangeId, view.State));
        Assert.False(store.Answered("hall-a", new SeatChangeApplied(first.Id, "cam-1", "w01", true, null)));
    }

    [Fact]
    public void Reported_SeatInUse_MarksThePendingChangeApplied()
    {
        var store = Store();
        var change = store.Request("hall-a", "cam-1", "w01", Moved, "admin");
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(store.Reported("hall-a", Windows(Moved)));

        var view = store.View("hall-a");
        Assert.Equal(Time.GetUtcNow(), view.ReportedAt);
        var seen = Assert.Single(view.Changes);
        Assert.Equal((change.Id, SeatChangeStates.Applied, Time.GetUtcNow()), (seen.ChangeId, seen.State, seen.AnsweredAt));
    }

    [Fact]
    public void Answered_OnlyOnce_AndOnlyByItsOwnSite()
    {
        var store = Store();
        var change = store.Request("hall-a", "cam-1", "w01", Moved, "admin");

        Assert.False(store.Answered("hall-b", new SeatChangeApplied(change.Id, "cam-1", "w01", true, null)));
        Assert.False(store.Answered("hall-a", new SeatChangeApplied("unknown", "cam-1", "w01", true, null)));
        Assert.True(store.Answered("hall-a", new SeatChangeApplied(change.Id, "cam-1", "w01", false, null)));
        Assert.False(store.Answered("hall-a", new SeatChangeApplied(change.Id, "cam-1", "w01", true, null)));

        var seen = Assert.Single(store.View("hall-a").Changes);
        Assert.Equal((SeatChangeStates.Refused, "refused by the Recorder"), (seen.State, seen.Reason));
    }

    [Fact]
    public void Reopen_KeepsReportsAndChanges()
    {
        var store = Store();
        store.Reported("hall-a", Windows(Seat, Hours));
        var change = store.Request("hall-a", "cam-1", "w01", Moved, "管理员");
        var before = store.View("hall-a");

        World.Reopen();
        var after = Store().View("hall-a");

        Assert.Equal(before.ReportedAt, after.ReportedAt);
        Assert.Equal(Hours.Hours, Store().Schedule("hall-a")!.Hours);
        var seen = Assert.Single(after.Changes);
        Assert.Equal((change.Id, "管理员", SeatChangeStates.Pending, before.Changes[0].RequestedAt), (seen.ChangeId, seen.RequestedBy, seen.State, seen.RequestedAt));
        Assert.True(SeatPolygon.SameAs(Moved, seen.Seat));
        Assert.Equal([change.Id], Store().Reported("hall-a", Windows(Seat)).Select(c => c.Id));
    }
}

public sealed class LiteDbSeatStoreTests() : SeatStoreContract(StoreProvider.LiteDb);

public sealed class PostgresSeatStoreTests() : SeatStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public async Task Request_SameWindowOnTwoNodesAtOnce_LeavesOnePending()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var nodes = new[] { Store(), Store(second) };
        using var start = new Barrier(nodes.Length);

        await Task.WhenAll(nodes.Select(node => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 10; i++)
            {
                node.Request("hall-a", "cam-1", "w01", Seat, "admin");
            }
        })));

        Assert.Single(nodes[0].Reported("hall-a", Windows(Moved)));
    }
}
