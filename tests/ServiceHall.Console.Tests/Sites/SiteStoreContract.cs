using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Tests.Storage;

namespace ServiceHall.Console.Tests.Sites;

public sealed class LiteDbSiteStoreTests() : SiteStoreContract(StoreProvider.LiteDb)
{
    [Fact]
    public void Store_NeverKeepsThePlainKey_InTheFile()
    {
        Sites.Upsert("hall-a", "甲", "d");
        var key = Sites.IssueKey("hall-a", revokeOthers: true);
        World.Reopen();

        var bytes = File.ReadAllBytes(Path.Combine(World.DataDirectory, "console.db"));
        Assert.Equal(-1, System.Text.Encoding.UTF8.GetString(bytes).IndexOf(key, StringComparison.Ordinal));
    }
}

public sealed class PostgresSiteStoreTests() : SiteStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public void Store_NeverKeepsThePlainKey_InAnyColumn()
    {
        Sites.Upsert("hall-a", "甲", "d");
        var key = Sites.IssueKey("hall-a", revokeOthers: true);

        using var connection = World.Postgres.Open();
        using var scan = new NpgsqlCommand("SELECT count(*) FROM site_keys k WHERE k::text LIKE '%' || $1 || '%'", connection);
        scan.Parameters.Add(new NpgsqlParameter { Value = key });
        using var all = new NpgsqlCommand("SELECT count(*) FROM site_keys k", connection);
        Assert.Equal(0L, scan.ExecuteScalar());
        Assert.Equal(1L, all.ExecuteScalar());
        Assert.True(Sites.IsValidKey("hall-a", key));
    }

    [Fact]
    public void KeyRevokedThroughOneNode_IsRefusedByTheOther()
    {
        Sites.Upsert("hall-a", "甲", "d");
        var key = Sites.IssueKey("hall-a", revokeOthers: false);
        using var otherDb = new Console.Storage.PostgresDatabase(World.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger<Console.Storage.PostgresDatabase>.Instance);
        ISiteStore other = new PostgresSiteStore(otherDb, new FakeTimeProvider());
        Assert.True(other.IsValidKey("hall-a", key));

        Assert.True(Sites.RevokeKey("hall-a", Sites.MatchingKeyId("hall-a", key)!));

        Assert.False(other.IsValidKey("hall-a", key));
    }
}

/// <summary>The PostgreSQL store behind each node's copy: the same promises, and a change on one node reaches the other.</summary>
public sealed class CachedSiteStoreTests() : SiteStoreContract(StoreProvider.Postgres, cached: true)
{
    [Fact]
    public void KeyRevokedThroughAnotherNode_IsRefusedHere_AtOnceWhenTold_AndWithinTheCopysAgeWhenNot()
    {
        Sites.Upsert("hall-a", "甲", "d");
        var told = Sites.IssueKey("hall-a", revokeOthers: false);
        var untold = Sites.IssueKey("hall-a", revokeOthers: false);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var bus = new Cluster.RecordingNodeBus();
        var cache = new CachedSiteStore(new PostgresSiteStore(World.Postgres, time), bus, time);
        ISiteStore here = cache;
        Assert.True(here.IsValidKey("hall-a", told) && here.IsValidKey("hall-a", untold));

        ISiteStore otherNode = new PostgresSiteStore(World.Postgres, time);
        otherNode.RevokeKey("hall-a", otherNode.MatchingKeyId("hall-a", told)!);
        var beforeTold = here.IsValidKey("hall-a", told);
        cache.Forget();
        var afterTold = here.IsValidKey("hall-a", told);
        otherNode.RevokeKey("hall-a", otherNode.MatchingKeyId("hall-a", untold)!);
        var untoldAtOnce = here.IsValidKey("hall-a", untold);
        time.Advance(CachedSiteStore.MaxAge);
        var untoldLater = here.IsValidKey("hall-a", untold);
        here.Upsert("hall-b", "乙", "d");

        Assert.Equal((true, false, true, false), (beforeTold, afterTold, untoldAtOnce, untoldLater));
        Assert.Equal(CachedSiteStore.Topic, Assert.Single(bus.Published).Topic);
    }
}

/// <summary>What both site stores promise: sites kept with their keys, only keys' hashes stored, revocation.</summary>
public abstract class SiteStoreContract(StoreProvider provider, bool cached = false) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));

    protected StoreWorld World { get; private set; } = null!;

    protected ISiteStore Sites { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        World = await StoreWorld.CreateAsync(provider);
        Sites = Open();
    }

    public async Task DisposeAsync() => await World.DisposeAsync();

    private ISiteStore Open() => (provider, cached) switch
    {
        (StoreProvider.LiteDb, _) => new LiteDbSiteStore(World.LiteDb, _time),
        (_, false) => new PostgresSiteStore(World.Postgres, _time),
        _ => new CachedSiteStore(new PostgresSiteStore(World.Postgres, _time), new Cluster.RecordingNodeBus(), _time),
    };

    [Fact]
    public void IssueKey_WithRevokeOthers_LeavesOnlyTheNewKeyValid()
    {
        Sites.Upsert("hall-a", "甲大厅", "顺庆区");
        var first = Sites.IssueKey("hall-a", revokeOthers: false);
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = Sites.IssueKey("hall-a", revokeOthers: true);

        Assert.False(Sites.IsValidKey("hall-a", first));
        Assert.True(Sites.IsValidKey("hall-a", second));
        var keys = Sites.Find("hall-a")!.Keys;
        Assert.Equal([Sites.MatchingKeyId("hall-a", second)], keys.Where(k => k.RevokedAt is null).Select(k => k.KeyId));
        Assert.Equal([_time.GetUtcNow().AddMinutes(-1), _time.GetUtcNow()], keys.Select(k => k.IssuedAt));
        Assert.Equal(_time.GetUtcNow(), keys[0].RevokedAt);
    }

    [Fact]
    public void IsValidKey_KeyOfAnotherSite_IsFalse()
    {
        Sites.Upsert("hall-a", "甲", "d");
        Sites.Upsert("hall-b", "乙", "d");
        var keyA = Sites.IssueKey("hall-a", revokeOthers: true);

        Assert.False(Sites.IsValidKey("hall-b", keyA));
        Assert.False(Sites.IsValidKey("nowhere", keyA));
        Assert.Throws<KeyNotFoundException>(() => Sites.IssueKey("nowhere", revokeOthers: false));
    }

    [Fact]
    public void RevokeKey_EndsThatKeyOnly_AndOnlyOnce()
    {
        Sites.Upsert("hall-a", "甲", "d");
        var first = Sites.IssueKey("hall-a", revokeOthers: false);
        var second = Sites.IssueKey("hall-a", revokeOthers: false);
        var firstId = Sites.MatchingKeyId("hall-a", first)!;

        Assert.True(Sites.IsActiveKey("hall-a", firstId));
        Assert.True(Sites.RevokeKey("hall-a", firstId));
        Assert.False(Sites.RevokeKey("hall-a", firstId));
        Assert.False(Sites.RevokeKey("nowhere", firstId));
        Assert.False(Sites.IsActiveKey("hall-a", firstId));
        Assert.False(Sites.IsValidKey("hall-a", first));
        Assert.True(Sites.IsValidKey("hall-a", second));
    }

    [Fact]
    public void Upsert_RenamesKeepingKeys_AndAllListsSitesById()
    {
        Sites.Upsert("hall-b", "乙", "d2");
        Sites.Upsert("hall-a", "  ", "d1 ");
        var key = Sites.IssueKey("hall-a", revokeOthers: false);

        var renamed = Sites.Upsert("hall-a", " 甲大厅 ", "d3", "Asia/Urumqi");

        Assert.Equal(("hall-a", "甲大厅", "d3", "Asia/Urumqi"), (renamed.Id, renamed.Name, renamed.District, renamed.TimeZone));
        Assert.True(Sites.IsValidKey("hall-a", key));
        Assert.Equal([("hall-a", "甲大厅"), ("hall-b", "乙")], Sites.All().Select(s => (s.Id, s.Name)));
        Assert.Equal("hall-b", Sites.Upsert("hall-b", "", "d2").Name);
        Assert.Null(Sites.Find("hall-c"));
    }

    [Fact]
    public void Sites_AreKeptAcrossARestart()
    {
        Sites.Upsert("hall-a", "甲", "d");
        var key = Sites.IssueKey("hall-a", revokeOthers: false);

        World.Reopen();
        Sites = Open();

        Assert.Equal("甲", Sites.Find("hall-a")!.Name);
        Assert.True(Sites.IsValidKey("hall-a", key));
    }

    [Fact]
    public void Upsert_IdThatIsNotASlug_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Sites.Upsert("../etc", "x", "d"));
}
