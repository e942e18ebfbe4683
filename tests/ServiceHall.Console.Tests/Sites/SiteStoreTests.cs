using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Sites;

/// <summary>A real LiteDB file in a temp folder.</summary>
public sealed class SiteStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConsoleDatabase _db;
    private readonly SiteStore _sites;

    public SiteStoreTests()
    {
        _db = new ConsoleDatabase(Options.Create(new StorageOptions { DataDirectory = _dir.Path }));
        _sites = new SiteStore(_db, new FakeTimeProvider());
    }

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void IssueKey_WithRevokeOthers_LeavesOnlyTheNewKeyValid()
    {
        _sites.Upsert("hall-a", "甲大厅", "顺庆区");
        var first = _sites.IssueKey("hall-a", revokeOthers: false);
        var second = _sites.IssueKey("hall-a", revokeOthers: true);

        Assert.False(_sites.IsValidKey("hall-a", first));
        Assert.True(_sites.IsValidKey("hall-a", second));
        Assert.Equal(2, _sites.Find("hall-a")!.Keys.Count);
    }

    [Fact]
    public void IsValidKey_KeyOfAnotherSite_IsFalse()
    {
        _sites.Upsert("hall-a", "甲", "d");
        _sites.Upsert("hall-b", "乙", "d");
        var keyA = _sites.IssueKey("hall-a", revokeOthers: true);

        Assert.False(_sites.IsValidKey("hall-b", keyA));
        Assert.False(_sites.IsValidKey("nowhere", keyA));
    }

    [Fact]
    public void Store_NeverKeepsThePlainKey()
    {
        _sites.Upsert("hall-a", "甲", "d");
        var key = _sites.IssueKey("hall-a", revokeOthers: true);
        _db.Dispose();

        var bytes = File.ReadAllBytes(Path.Combine(_dir.Path, "console.db"));
        Assert.Equal(-1, System.Text.Encoding.UTF8.GetString(bytes).IndexOf(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Upsert_IdThatIsNotASlug_IsRefused() =>
        Assert.Throws<ArgumentException>(() => _sites.Upsert("../etc", "x", "d"));
}
