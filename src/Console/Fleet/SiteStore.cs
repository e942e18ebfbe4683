using LiteDB;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>Registered sites and their keys in LiteDB.</summary>
public sealed class SiteStore(ConsoleDatabase db, TimeProvider time)
{
    private ILiteCollection<SiteRecord> Sites => db.Database.GetCollection<SiteRecord>("sites");

    public IReadOnlyList<SiteRecord> All() => Sites.FindAll().OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    public SiteRecord? Find(string siteId) => Sites.FindById(siteId);

    /// <summary>Creates or renames a site.</summary>
    public SiteRecord Upsert(string siteId, string name, string district, string timeZone = "Asia/Shanghai")
    {
        if (!Slug.IsValid(siteId))
        {
            throw new ArgumentException($"site id '{siteId}' must be a slug (lower-case letters, digits and '-')", nameof(siteId));
        }

        var site = Find(siteId) ?? new SiteRecord { Id = siteId };
        site.Name = string.IsNullOrWhiteSpace(name) ? siteId : name.Trim();
        site.District = district.Trim();
        site.TimeZone = timeZone;
        Sites.Upsert(site);
        return site;
    }

    /// <summary>Issues a new key for the site and returns it; the plain key is never stored.</summary>
    public string IssueKey(string siteId, bool revokeOthers)
    {
        var site = Find(siteId) ?? throw new KeyNotFoundException($"no site '{siteId}'");
        var now = time.GetUtcNow();
        if (revokeOthers)
        {
            foreach (var old in site.Keys.Where(k => k.RevokedAt is null))
            {
                old.RevokedAt = now;
            }
        }

        var (key, keyId, hash) = SiteKeys.Generate();
        site.Keys.Add(new SiteKeyRecord { KeyId = keyId, Sha256 = hash, IssuedAt = now });
        Sites.Update(site);
        return key;
    }

    /// <summary>Revokes one key; false if the site or an unrevoked key of that id does not exist.</summary>
    public bool RevokeKey(string siteId, string keyId)
    {
        var site = Find(siteId);
        var key = site?.Keys.FirstOrDefault(k => k.KeyId == keyId && k.RevokedAt is null);
        if (key is null)
        {
            return false;
        }

        key.RevokedAt = time.GetUtcNow();
        Sites.Update(site!);
        return true;
    }

    public bool IsValidKey(string siteId, string key)
    {
        var site = Find(siteId);
        return site is not null && site.Keys.Any(k => k.RevokedAt is null && SiteKeys.Matches(key, k.Sha256));
    }
}
