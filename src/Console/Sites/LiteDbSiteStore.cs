using System.Collections.Concurrent;
using LiteDB;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Sites;

/// <summary>
/// Registered sites and their keys in LiteDB (one node), read through an in-memory copy: every heartbeat, connect and event
/// looks a site up, and thousands of concurrent LiteDB reads exhaust its transaction slots. Only this class writes
/// the collection (the Console holds the file exclusively), so the copy cannot go stale.
/// </summary>
public sealed class LiteDbSiteStore : ISiteStore
{
    private readonly ConsoleDatabase _db;
    private readonly TimeProvider _time;
    private readonly Lock _write = new();
    private readonly ConcurrentDictionary<string, SiteRecord> _cache;

    public LiteDbSiteStore(ConsoleDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        _cache = new ConcurrentDictionary<string, SiteRecord>(Sites.FindAll().Select(s => KeyValuePair.Create(s.Id, s)), StringComparer.Ordinal);
    }

    private ILiteCollection<SiteRecord> Sites => _db.Database.GetCollection<SiteRecord>("sites");

    public IReadOnlyList<SiteRecord> All() => _cache.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    public SiteRecord? Find(string siteId) => _cache.GetValueOrDefault(siteId);

    public SiteRecord Upsert(string siteId, string name, string district, string timeZone = "Asia/Shanghai")
    {
        SiteFields.Id(siteId);
        lock (_write)
        {
            var site = Copy(Find(siteId)) ?? new SiteRecord { Id = siteId };
            site.Name = SiteFields.Name(siteId, name);
            site.District = district.Trim();
            site.TimeZone = timeZone;
            Save(site, insert: true);
            return site;
        }
    }

    public string IssueKey(string siteId, bool revokeOthers)
    {
        lock (_write)
        {
            var site = Copy(Find(siteId)) ?? throw new KeyNotFoundException($"no site '{siteId}'");
            var now = _time.GetUtcNow();
            if (revokeOthers)
            {
                foreach (var old in site.Keys.Where(k => k.RevokedAt is null))
                {
                    old.RevokedAt = now;
                }
            }

            var (key, keyId, hash) = SiteKeys.Generate();
            site.Keys.Add(new SiteKeyRecord { KeyId = keyId, Sha256 = hash, IssuedAt = now });
            Save(site, insert: false);
            return key;
        }
    }

    public bool RevokeKey(string siteId, string keyId)
    {
        lock (_write)
        {
            var site = Copy(Find(siteId));
            var key = site?.Keys.FirstOrDefault(k => k.KeyId == keyId && k.RevokedAt is null);
            if (key is null)
            {
                return false;
            }

            key.RevokedAt = _time.GetUtcNow();
            Save(site!, insert: false);
            return true;
        }
    }

    /// <summary>Writes first, then publishes the new copy: readers never see a change the file does not hold.</summary>
    private void Save(SiteRecord site, bool insert)
    {
        if (insert)
        {
            Sites.Upsert(site);
        }
        else
        {
            Sites.Update(site);
        }

        _cache[site.Id] = site;
    }

    /// <summary>Records handed out are never changed in place; a change works on a copy.</summary>
    private static SiteRecord? Copy(SiteRecord? site) => site is null ? null : new SiteRecord
    {
        Id = site.Id,
        Name = site.Name,
        District = site.District,
        TimeZone = site.TimeZone,
        Keys = [.. site.Keys.Select(k => new SiteKeyRecord { KeyId = k.KeyId, Sha256 = k.Sha256, IssuedAt = k.IssuedAt, RevokedAt = k.RevokedAt })],
    };
}
