using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Holds;

/// <summary>
/// Evidence holds in PostgreSQL. Every change is one conditional statement (the hold's id is its key), so two nodes
/// releasing one hold, or ingesting one confirmation, change it once.
/// </summary>
public sealed class PostgresHoldStore(PostgresDatabase db) : HoldStore
{
    private const string Columns = "id, site_id, camera_id, from_at, to_at, reason, placed_by, placed_at, status, released_by";

    private static readonly string Requested = nameof(HoldStatus.Requested);
    private static readonly string Held = nameof(HoldStatus.Held);
    private static readonly string ReleaseRequested = nameof(HoldStatus.ReleaseRequested);
    private static readonly string Released = nameof(HoldStatus.Released);

    public override HoldRecord Request(string siteId, HoldRequested request, DateTimeOffset now)
    {
        var record = NewRecord(siteId, request, now, HoldStatus.Requested);
        db.Execute($"INSERT INTO holds ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", Row(record));
        return record;
    }

    public override bool RequestRelease(HoldRecord hold, string releasedBy)
    {
        var changed = db.Execute(
            "UPDATE holds SET status = $3, released_by = $4 WHERE id = $1 AND site_id = $2 AND status IN ($5, $6)",
            hold.Id, hold.SiteId, ReleaseRequested, releasedBy, Requested, Held) == 1;
        if (changed)
        {
            hold.Status = HoldStatus.ReleaseRequested;
            hold.ReleasedBy = releasedBy;
        }

        return changed;
    }

    public override HoldRecord? Find(string siteId, string holdId) => Query("WHERE id = $1 AND site_id = $2", holdId, siteId).FirstOrDefault();

    public override IReadOnlyList<HoldRecord> ForSite(string siteId) => Query("WHERE site_id = $1 ORDER BY placed_at DESC", siteId);

    public override IReadOnlyList<HoldRecord> Pending(string siteId) =>
        Query("WHERE site_id = $1 AND status IN ($2, $3) ORDER BY placed_at", siteId, Requested, ReleaseRequested);

    public override void Confirmed(string siteId, HoldPlaced placed) =>
        db.Execute(
            $"""
            INSERT INTO holds ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status WHERE holds.site_id = excluded.site_id AND holds.status = $11
            """,
            [.. Row(PlacedElsewhere(siteId, placed)), Requested]);

    public override void Confirmed(string siteId, HoldReleased released) =>
        db.Execute(
            "UPDATE holds SET status = $3, released_by = COALESCE(released_by, $4) WHERE id = $1 AND site_id = $2 AND status <> $3",
            released.HoldId, siteId, Released, released.ReleasedBy);

    private static object?[] Row(HoldRecord h) =>
    [
        h.Id, h.SiteId, h.CameraId, PostgresCommands.Utc(h.FromTicks), PostgresCommands.Utc(h.ToTicks), h.Reason, h.PlacedBy,
        PostgresCommands.Utc(h.PlacedAtTicks), h.Status.ToString(), h.ReleasedBy,
    ];

    private List<HoldRecord> Query(string where, params object?[] values) => db.Query(Read, $"SELECT {Columns} FROM holds {where}", values);

    private static HoldRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        SiteId = reader.GetString(1),
        CameraId = reader.GetString(2),
        FromTicks = reader.Ticks(3),
        ToTicks = reader.Ticks(4),
        Reason = reader.GetString(5),
        PlacedBy = reader.GetString(6),
        PlacedAtTicks = reader.Ticks(7),
        Status = Enum.Parse<HoldStatus>(reader.GetString(8)),
        ReleasedBy = reader.Nullable<string>(9),
    };
}
