using ServiceHall.Console.Cluster;

namespace ServiceHall.Console.Sites;

/// <summary>
/// The PostgreSQL site store behind an in-memory copy of every site, read at most <see cref="MaxAge"/> ago: a
/// Recorder's every message checks its key and every heartbeat names its site, and a database round trip for each
/// (2,000 Recorders heartbeating) starved the node. A change through any node is told to the others through the node
/// bus, which drop their copy at once; while Redis is down a key revoked on another node is refused here within
/// <see cref="MaxAge"/>.
/// </summary>
public sealed class CachedSiteStore(PostgresSiteStore inner, INodeBus bus, TimeProvider time) : ISiteStore
{
    /// <summary>How old the copy may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>Topic of "a site or its keys changed".</summary>
    internal const string Topic = "sites-changed";

    private readonly Lock _loading = new();
    private Copy? _copy;

    public IReadOnlyList<SiteRecord> All() => [.. Current().Sites.Select(Clone)];

    public SiteRecord? Find(string siteId) => Current().ById.TryGetValue(siteId, out var site) ? Clone(site) : null;

    public SiteRecord Upsert(string siteId, string name, string district, string timeZone = "Asia/Shanghai") =>
        Changed(inner.Upsert(siteId, name, district, timeZone));

    public string IssueKey(string siteId, bool revokeOthers) => Changed(inner.IssueKey(siteId, revokeOthers));

    public bool RevokeKey(string siteId, string keyId) => Changed(inner.RevokeKey(siteId, keyId));

    /// <summary>Another node changed a site: the next look-up reads the database.</summary>
    internal void Forget() => Volatile.Write(ref _copy, null);

    private T Changed<T>(T result)
    {
        Forget();
        bus.Publish(Topic, true);
        return result;
    }

    private Copy Current()
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref _copy) is { } fresh && now - fresh.ReadAt < MaxAge)
        {
            return fresh;
        }

        lock (_loading)
        {
            if (Volatile.Read(ref _copy) is { } loaded && now - loaded.ReadAt < MaxAge)
            {
                return loaded;
            }

            var sites = inner.All();
            var copy = new Copy(now, sites, sites.ToDictionary(s => s.Id, StringComparer.Ordinal));
            Volatile.Write(ref _copy, copy);
            return copy;
        }
    }

    private static SiteRecord Clone(SiteRecord site) => new()
    {
        Id = site.Id,
        Name = site.Name,
        District = site.District,
        TimeZone = site.TimeZone,
        Keys = [.. site.Keys.Select(k => new SiteKeyRecord { KeyId = k.KeyId, Sha256 = k.Sha256, IssuedAt = k.IssuedAt, RevokedAt = k.RevokedAt })],
    };

    /// <summary>Every site as read at <paramref name="ReadAt"/>.</summary>
    private sealed record Copy(DateTimeOffset ReadAt, IReadOnlyList<SiteRecord> Sites, Dictionary<string, SiteRecord> ById);

    /// <summary>Drops this node's copy when another node changes a site.</summary>
    public sealed class Sharing(INodeBus bus, CachedSiteStore sites) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            bus.SubscribeAsync<bool>(Topic, _ =>
            {
                sites.Forget();
                return Task.CompletedTask;
            });

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
