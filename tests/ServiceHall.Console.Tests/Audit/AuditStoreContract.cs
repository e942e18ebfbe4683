using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;

namespace ServiceHall.Console.Tests.Audit;

public sealed class LiteDbAuditStoreTests() : AuditStoreContract(StoreProvider.LiteDb)
{
    protected override void Change(int id)
    {
        var raw = World.LiteDb.Database.GetCollection("audit");
        var entry = raw.FindById(id);
        entry["Detail"] = "edited";
        raw.Update(entry);
    }

    protected override void Remove(int id) => World.LiteDb.Database.GetCollection("audit").Delete(id);
}

public sealed class PostgresAuditStoreTests() : AuditStoreContract(StoreProvider.Postgres)
{
    protected override void Change(int id) => World.Postgres.Execute("UPDATE audit SET detail = 'edited' WHERE id = $1", id);

    protected override void Remove(int id) => World.Postgres.Execute("DELETE FROM audit WHERE id = $1", id);

    [Fact]
    public async Task TwoNodesAppendingAtOnce_KeepOneChain_ThatVerifies()
    {
        using var otherDb = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        AuditLog[] nodes = [Audit, new AuditLog(new PostgresAuditStore(otherDb), Time)];
        const int perWriter = 50;

        await Task.WhenAll(nodes.SelectMany((node, n) => Enumerable.Range(0, 3).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                node.Append($"node{n}", AuditActions.SignedIn, $"writer{w}", i.ToString(CultureInfo.InvariantCulture));
            }
        }))));

        var report = Audit.Verify();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(2 * 3 * perWriter, report.Checked);
        Assert.Equal((2 * 3 * perWriter, report.HeadHash), nodes[1].Head());
        Assert.Equal(Enumerable.Range(1, 2 * 3 * perWriter).Reverse(), Audit.Page(null, 1000).Select(e => e.Id));
    }
}

/// <summary>What both audit stores promise: one hash chain that verifies, shows a changed or removed entry, and survives pruning.</summary>
public abstract class AuditStoreContract(StoreProvider provider) : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-05T02:00:00Z", CultureInfo.InvariantCulture));

    protected StoreWorld World { get; private set; } = null!;

    protected AuditLog Audit { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = await StoreWorld.CreateAsync(provider);
        Audit = Open();
    }

    public async Task DisposeAsync() => await World.DisposeAsync();

    /// <summary>Edits an entry's detail behind the log's back, as someone with access to the database could.</summary>
    protected abstract void Change(int id);

    /// <summary>Deletes an entry behind the log's back.</summary>
    protected abstract void Remove(int id);

    private AuditLog Open() =>
        new(provider == StoreProvider.LiteDb ? new LiteDbAuditStore(World.LiteDb) : new PostgresAuditStore(World.Postgres), Time);

    [Fact]
    public void Appends_FormOneChainThatVerifies_FromTheGenesis()
    {
        var first = Audit.Append("admin", AuditActions.SignedIn, "console");
        var second = Audit.Append("admin", AuditActions.CaseKept, "case:k1", "投诉 1");

        var report = Audit.Verify();

        Assert.Equal((1, AuditChain.Genesis), (first.Id, first.PreviousHash));
        Assert.Equal((2, first.Hash), (second.Id, second.PreviousHash));
        Assert.Equal(AuditChain.Hash(second), second.Hash);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal((2L, (int?)2, second.Hash), (report.Checked, report.HeadId, report.HeadHash));
        Assert.Equal((2, second.Hash), Audit.Head());
    }

    [Fact]
    public void ChangingAnEntry_IsNamedByTheCheck()
    {
        for (var i = 0; i < 4; i++)
        {
            Audit.Append("admin", AuditActions.SignedIn, "console");
        }

        Change(2);

        var report = Audit.Verify();
        Assert.False(report.Intact);
        Assert.Equal(2, report.FirstBrokenId);
        Assert.Contains("was changed", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovingAnEntry_IsNamedByTheCheck_AtTheEntryAfterIt()
    {
        for (var i = 0; i < 4; i++)
        {
            Audit.Append("admin", AuditActions.SignedIn, "console");
        }

        Remove(2);

        var report = Audit.Verify();
        Assert.False(report.Intact);
        Assert.Equal(3, report.FirstBrokenId);
    }

    [Fact]
    public void Paging_ReturnsEveryEntryOnce_NewestFirst()
    {
        for (var i = 0; i < 7; i++)
        {
            Audit.Append("admin", AuditActions.SignedIn, "console");
        }

        Assert.Equal([7, 6, 5], Audit.Recent(3).Select(e => e.Id));
        Assert.Equal([4, 3, 2], Audit.Page(5, 3).Select(e => e.Id));
        Assert.Equal([1], Audit.Page(2, 3).Select(e => e.Id));
        Assert.Equal("console", Audit.Page(2, 3)[0].Target);
    }

    [Fact]
    public void AppendOncePerHour_LogsTheFirstOfAnHourOnly()
    {
        Assert.NotNull(Audit.AppendOncePerHour("v1", AuditActions.LiveViewed, "cam-1"));
        Assert.Null(Audit.AppendOncePerHour("v1", AuditActions.LiveViewed, "cam-1"));
        Assert.NotNull(Audit.AppendOncePerHour("v1", AuditActions.LiveViewed, "cam-2"));
        Time.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(Audit.AppendOncePerHour("v1", AuditActions.LiveViewed, "cam-1"));
        Assert.Equal(3, Audit.Head().Id);
    }

    [Fact]
    public void Pruning_RemovesOnlyEntriesPastRetention_AndTheRestStillVerifies_WhileRemovingTheOldestKeptOneShows()
    {
        for (var i = 0; i < 5; i++)
        {
            Audit.Append("admin", AuditActions.SignedIn, "console");
        }

        Time.Advance(TimeSpan.FromDays(200));
        var kept = Enumerable.Range(0, 3).Select(_ => Audit.Append("admin", AuditActions.SignedIn, "console")).ToList();

        var pruned = Audit.Prune(Time.GetUtcNow() - TimeSpan.FromDays(AuditOptions.MinRetentionDays));
        var afterPrune = Audit.Verify();
        var remaining = Audit.Page(null, 100);
        var nothingMore = Audit.Prune(Time.GetUtcNow() - TimeSpan.FromDays(AuditOptions.MinRetentionDays));
        Remove(kept[0].Id);
        World.Reopen();
        var afterRemoval = Open().Verify();

        Assert.Equal((5L, 0L), (pruned, nothingMore));
        Assert.True(afterPrune.Intact, afterPrune.Problem);
        Assert.Equal(5, afterPrune.AnchorId);
        Assert.Equal([.. kept.Select(e => e.Id)], remaining.Where(e => e.Action != AuditActions.AuditPruned).Select(e => e.Id).Order());
        Assert.Contains(remaining, e => e.Action == AuditActions.AuditPruned);
        Assert.False(afterRemoval.Intact);
        Assert.Equal(kept[1].Id, afterRemoval.FirstBrokenId);
    }

    [Fact]
    public void Chain_IsKeptAcrossARestart_AndGoesOnFromItsHead()
    {
        Audit.Append("admin", AuditActions.SignedIn, "console");
        var head = Audit.Append("admin", AuditActions.SignedIn, "console");

        World.Reopen();
        Audit = Open();
        var next = Audit.Append("admin", AuditActions.SignedIn, "console");

        Assert.Equal((3, head.Hash), (next.Id, next.PreviousHash));
        Assert.True(Audit.Verify().Intact);
    }
}
