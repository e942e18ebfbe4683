using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Sites;

/// <summary>
/// Registered sites and their keys; only a key's SHA-256 is ever stored. Implemented on the LiteDB file
/// (<see cref="LiteDbSiteStore"/>) and on PostgreSQL (<see cref="PostgresSiteStore"/>). Records handed out are
/// copies: a change goes through the store.
/// </summary>
public interface ISiteStore
{
    /// <summary>Every site, by id.</summary>
    IReadOnlyList<SiteRecord> All();

    SiteRecord? Find(string siteId);

    /// <summary>Creates or renames a site.</summary>
    SiteRecord Upsert(string siteId, string name, string district, string timeZone = "Asia/Shanghai");

    /// <summary>Issues a new key for the site and returns it; the plain key is never stored.</summary>
    string IssueKey(string siteId, bool revokeOthers);

    /// <summary>Revokes one key; false if the site or an unrevoked key of that id does not exist.</summary>
    bool RevokeKey(string siteId, string keyId);

    bool IsValidKey(string siteId, string key) => MatchingKeyId(siteId, key) is not null;

    /// <summary>The id of the unrevoked key of the site that <paramref name="key"/> is, or null.</summary>
    string? MatchingKeyId(string siteId, string key) =>
        Find(siteId)?.Keys.FirstOrDefault(k => k.RevokedAt is null && SiteKeys.Matches(key, k.Sha256))?.KeyId;

    /// <summary>Whether the key a connection was admitted with is still unrevoked.</summary>
    bool IsActiveKey(string siteId, string keyId) =>
        Find(siteId)?.Keys.Any(k => k.KeyId == keyId && k.RevokedAt is null) ?? false;
}

/// <summary>What both site stores decide alike about a site's fields.</summary>
public static class SiteFields
{
    /// <summary>The site's id, refused unless it is a slug.</summary>
    public static string Id(string siteId) =>
        Slug.IsValid(siteId) ? siteId : throw new ArgumentException($"site id '{siteId}' must be a slug (lower-case letters, digits and '-')", nameof(siteId));

    /// <summary>The name shown for a site: trimmed, or its id when blank.</summary>
    public static string Name(string siteId, string name) => string.IsNullOrWhiteSpace(name) ? siteId : name.Trim();
}
