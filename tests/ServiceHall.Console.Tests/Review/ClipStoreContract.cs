using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceHall.Console.Review;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Review;

/// <summary>The clip and case stores' facts, run on the LiteDB file and on PostgreSQL alike (clip files in the data folder on both).</summary>
public abstract class ClipStoreContract(StoreProvider provider) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    protected static readonly ReviewOptions Caps = new() { MaxOutstandingClipsPerUser = 2, MaxOutstandingClipsPerSite = 3 };
    private static readonly byte[] Video = RandomNumberGenerator.GetBytes(3000);

    protected StoreWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync() => await World.DisposeAsync();

    /// <summary>A store on the world's current database, or on <paramref name="postgres"/> (another node's connection) when given.</summary>
    protected ClipStore Clips(PostgresDatabase? postgres = null) => provider == StoreProvider.LiteDb
        ? new LiteDbClipStore(World.LiteDb, World.Options)
        : new PostgresClipStore(postgres ?? World.Postgres, World.Options);

    protected ICaseStore Cases() => provider == StoreProvider.LiteDb ? new LiteDbCaseStore(World.LiteDb) : new PostgresCaseStore(World.Postgres);

    protected static ClipRequested Request(string by = "zhao") =>
        new(Guid.NewGuid().ToString("N"), "cam-1", Now.AddMinutes(-10), Now.AddMinutes(-5), "投诉 2026-117", by);

    private static ClipExported Manifest(ClipRecord clip, byte[] bytes) => new(
        clip.Id, clip.SiteId, clip.CameraId, Now.AddMinutes(-10), Now.AddMinutes(-5), Now.AddMinutes(-10), Now.AddMinutes(-5),
        bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), "test", Now, []);

    private static Task<(bool Accepted, long Received)> AppendAsync(ClipStore store, ClipRecord clip, long offset, byte[] chunk) =>
        store.AppendAsync(clip, offset, Video.Length, new MemoryStream(chunk), ClipUploads.MaxChunkBytes, 1 << 20, CancellationToken.None);

    [Fact]
    public void TryCreate_RefusesPastTheUserAndSiteCaps()
    {
        var store = Clips();
        Assert.NotNull(store.TryCreate("hall-a", Request("zhao"), Now, Caps).Clip);
        Assert.NotNull(store.TryCreate("hall-a", Request("zhao"), Now, Caps).Clip);

        Assert.Contains("you already have 2", store.TryCreate("hall-a", Request("zhao"), Now, Caps).Refusal, StringComparison.Ordinal);
        Assert.NotNull(store.TryCreate("hall-a", Request("qian"), Now, Caps).Clip);
        Assert.Contains("site hall-a already owes 3", store.TryCreate("hall-a", Request("li"), Now, Caps).Refusal, StringComparison.Ordinal);
        Assert.NotNull(store.TryCreate("hall-b", Request("li"), Now, Caps).Clip);
        Assert.Equal(3, store.Unfinished("hall-a").Count);
    }

    [Fact]
    public async Task Upload_InChunks_ThenComplete_KeepsTheClipFinal()
    {
        var store = Clips();
        var clip = store.Create("hall-a", Request(), Now);

        Assert.Equal((true, 1000L), await AppendAsync(store, clip, 0, Video[..1000]));
        Assert.Equal((false, 1000L), await AppendAsync(store, clip, 0, Video[..1000]));
        Assert.Equal(ClipStatus.Uploading, store.Find(clip.Id)!.Status);
        Assert.Equal((true, 3000L), await AppendAsync(store, clip, 1000, Video[1000..]));

        Assert.Null(await store.CompleteAsync(clip, Manifest(clip, Video), "{}", CancellationToken.None));

        var done = store.Find(clip.Id)!;
        Assert.Equal((ClipStatus.Complete, 3000L, 3000L), (done.Status, done.ReceivedBytes, done.TotalBytes));
        Assert.Equal(Video, await File.ReadAllBytesAsync(store.FinalPath(done)));
        Assert.Equal(done.Sha256, await store.HashFileAsync(done, CancellationToken.None));
        Assert.Equal((false, 3000L), await AppendAsync(store, clip, 3000, Video[..10]));
        Assert.Empty(store.Unfinished("hall-a"));
        Assert.Null(store.FindForSite(clip.Id, "hall-b"));
    }

    [Fact]
    public async Task Complete_WrongHash_FailsTheUpload_ForAFreshStart()
    {
        var store = Clips();
        var clip = store.Create("hall-a", Request(), Now);
        await AppendAsync(store, clip, 0, Video);
        var other = (byte[])Video.Clone();
        other[0] ^= 1;

        var error = await store.CompleteAsync(clip, Manifest(clip, other), "{}", CancellationToken.None);

        Assert.Contains("does not match", error, StringComparison.Ordinal);
        var failed = store.Find(clip.Id)!;
        Assert.Equal((ClipStatus.Failed, 0L), (failed.Status, failed.ReceivedBytes));
        Assert.Equal((true, 1000L), await AppendAsync(store, clip, 0, Video[..1000]));
    }

    [Fact]
    public void Fail_KeepsTheReason_Capped()
    {
        var store = Clips();
        var clip = store.Create("hall-a", Request(), Now);

        store.Fail(clip, new string('x', 600));

        var failed = store.Find(clip.Id)!;
        Assert.Equal((ClipStatus.Failed, 500), (failed.Status, failed.Error!.Length));
        Assert.Empty(store.Unfinished("hall-a"));
    }

    [Fact]
    public void Cases_KeptOnce_ListedNewestFirst_OfVisibleSitesOnly()
    {
        var clips = Clips();
        var cases = Cases();
        var a = cases.Keep(clips.Create("hall-a", Request(), Now), new string('a', 64), "投诉", "zhao", Now);
        cases.Keep(clips.Create("hall-b", Request(), Now), new string('b', 64), "投诉", "zhao", Now.AddMinutes(1));
        var c = cases.Keep(clips.Create("hall-a", Request(), Now), new string('c', 64), "投诉", "qian", Now.AddMinutes(2));

        Assert.Equal([c.Id, a.Id], cases.List(site => site == "hall-a", 10).Select(k => k.Id));
        Assert.Equal([c.Id], cases.List(_ => true, 1).Select(k => k.Id));
        Assert.Equal(a.View(), cases.Find(a.Id)!.View());
        Assert.Null(cases.Find("not-an-id"));
    }

    [Fact]
    public async Task Reopen_KeepsClipsAndCases()
    {
        var clips = Clips();
        var clip = clips.Create("hall-a", Request(), Now);
        await AppendAsync(clips, clip, 0, Video[..1000]);
        var kept = Cases().Keep(clip, new string('a', 64), "投诉", "zhao", Now);

        World.Reopen();

        var again = Clips().Find(clip.Id)!;
        Assert.Equal((ClipStatus.Uploading, 1000L, 3000L, "投诉 2026-117", Now.AddMinutes(-10).UtcTicks), (again.Status, again.ReceivedBytes, again.TotalBytes, again.Reason, again.FromTicks));
        Assert.Equal(kept.View(), Cases().Find(kept.Id)!.View());
        Assert.Equal((true, 3000L), await AppendAsync(Clips(), again, 1000, Video[1000..]));
    }
}

public sealed class LiteDbClipStoreTests() : ClipStoreContract(StoreProvider.LiteDb);

public sealed class PostgresClipStoreTests() : ClipStoreContract(StoreProvider.Postgres)
{
    [Fact]
    public async Task TryCreate_BurstOnTwoNodes_StaysWithinTheUsersCap()
    {
        using var second = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var nodes = new[] { Clips(), Clips(second) };
        using var start = new Barrier(nodes.Length);

        await Task.WhenAll(nodes.Select(node => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 5; i++)
            {
                node.TryCreate("hall-a", Request("zhao"), Now, Caps);
            }
        })));

        Assert.Equal(Caps.MaxOutstandingClipsPerUser, nodes[0].Unfinished("hall-a").Count);
    }
}
