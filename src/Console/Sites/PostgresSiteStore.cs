using Npgsql;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Sites;

/// <summary>
/// Registered sites and their keys on PostgreSQL, shared by every Console node. Read from the database on every
/// look-up, never from a copy in this process: a key revoked through one node is refused by all of them at once.
/// </summary>
public sealed class PostgresSiteStore(PostgresDatabase db, TimeProvider time) : ISiteStore
{
    private const string SelectSites = """
        SELECT s.id, s.name, s.district, s.time_zone, k.key_id, k.sha256, k.issued_at_ticks, k.revoked_at_ticks
        FROM sites s LEFT JOIN site_keys k ON k.site_id = s.id
        """;

    public IReadOnlyList<SiteRecord> All() => Sites($"{SelectSites} ORDER BY s.id COLLATE \"C\", k.ordinal");

    public SiteRecord? Find(string siteId) => Sites($"{SelectSites} WHERE s.id = $1 ORDER BY k.ordinal", siteId).SingleOrDefault();

    public SiteRecord Upsert(string siteId, string name, string district, string timeZone = "Asia/Shanghai")
    {
        db.Execute(
            """
            INSERT INTO sites (id, name, district, time_zone) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, district = excluded.district, time_zone = excluded.time_zone
            """,
            SiteFields.Id(siteId),
            SiteFields.Name(siteId, name),
            district.Trim(),
            timeZone);
        return Find(siteId)!;
    }

    public string IssueKey(string siteId, bool revokeOthers)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        // The site's row locked: two nodes issuing with revokeOthers at once leave exactly one key unrevoked.
        using (var site = connection.CommandIn("SELECT 1 FROM sites WHERE id = $1 FOR UPDATE", transaction, siteId))
        {
            if (site.ExecuteScalar() is null)
            {
                throw new KeyNotFoundException($"no site '{siteId}'");
            }
        }

        var now = time.GetUtcNow().UtcTicks;
        if (revokeOthers)
        {
            using var revoke = connection.CommandIn("UPDATE site_keys SET revoked_at_ticks = $2 WHERE site_id = $1 AND revoked_at_ticks IS NULL", transaction, siteId, now);
            revoke.ExecuteNonQuery();
        }

        var (key, keyId, hash) = SiteKeys.Generate();
        using (var insert = connection.CommandIn("INSERT INTO site_keys (site_id, key_id, sha256, issued_at_ticks) VALUES ($1, $2, $3, $4)", transaction, siteId, keyId, hash, now))
        {
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return key;
    }

    public bool RevokeKey(string siteId, string keyId) =>
        db.Execute(
            "UPDATE site_keys SET revoked_at_ticks = $3 WHERE site_id = $1 AND key_id = $2 AND revoked_at_ticks IS NULL",
            siteId,
            keyId,
            time.GetUtcNow().UtcTicks) == 1;

    /// <summary>Folds the rows of the site-and-key join (one per key, or one with no key) into records, in row order.</summary>
    private List<SiteRecord> Sites(string sql, params object?[] values)
    {
        var sites = new List<SiteRecord>();
        foreach (var (site, key) in db.Query(sql, Read, values))
        {
            if (sites.Count == 0 || sites[^1].Id != site.Id)
            {
                sites.Add(site);
            }

            if (key is not null)
            {
                sites[^1].Keys.Add(key);
            }
        }

        return sites;
    }

    private static (SiteRecord Site, SiteKeyRecord? Key) Read(NpgsqlDataReader row) =>
        (
            new SiteRecord { Id = row.GetString(0), Name = row.GetString(1), District = row.GetString(2), TimeZone = row.GetString(3) },
            row.IsDBNull(4)
                ? null
                : new SiteKeyRecord
                {
                    KeyId = row.GetString(4),
                    Sha256 = row.GetString(5),
                    IssuedAt = new DateTimeOffset(row.GetInt64(6), TimeSpan.Zero),
                    RevokedAt = row.IsDBNull(7) ? null : new DateTimeOffset(row.GetInt64(7), TimeSpan.Zero),
                });
}
