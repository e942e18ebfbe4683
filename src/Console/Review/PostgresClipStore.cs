using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Review;

/// <summary>
/// Clip records in PostgreSQL. <see cref="ClipStore.Exclusive"/> takes a session advisory lock on its own connection,
/// so a burst of requests to several nodes respects the caps, and one clip's chunks are applied one at a time.
/// </summary>
public sealed class PostgresClipStore(PostgresDatabase db, IOptions<StorageOptions> storage) : ClipStore(storage)
{
    private const string Columns = "id, site_id, camera_id, from_at, to_at, reason, requested_by, requested_at, status, received_bytes, total_bytes, sha256, error";

    private static readonly string Requested = nameof(ClipStatus.Requested);
    private static readonly string Uploading = nameof(ClipStatus.Uploading);

    public override IReadOnlyList<ClipRecord> Unfinished(string siteId) =>
        Query("WHERE site_id = $1 AND status IN ($2, $3) ORDER BY requested_at", siteId, Requested, Uploading);

    protected override T Exclusive<T>(string key, Func<T> work)
    {
        using var connection = db.Open();
        connection.Execute("SELECT pg_advisory_lock(hashtextextended($1, 0))", key);
        try
        {
            return work();
        }
        finally
        {
            connection.Execute("SELECT pg_advisory_unlock(hashtextextended($1, 0))", key);
        }
    }

    protected override void Insert(ClipRecord clip) =>
        db.Execute($"INSERT INTO clips ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)", Row(clip));

    protected override ClipRecord? Load(string clipId) => Query("WHERE id = $1", clipId).FirstOrDefault();

    protected override void Save(ClipRecord clip) =>
        db.Execute(
            """
            UPDATE clips SET site_id = $2, camera_id = $3, from_at = $4, to_at = $5, reason = $6, requested_by = $7, requested_at = $8,
                status = $9, received_bytes = $10, total_bytes = $11, sha256 = $12, error = $13
            WHERE id = $1
            """,
            Row(clip));

    protected override int Outstanding(string? requestedBy, string? siteId)
    {
        using var connection = db.Open();
        using var count = connection.Command(
            "SELECT count(*) FROM clips WHERE ($1::text IS NULL OR requested_by = $1) AND ($2::text IS NULL OR site_id = $2) AND status IN ($3, $4)",
            requestedBy, siteId, Requested, Uploading);
        return (int)(long)count.ExecuteScalar()!;
    }

    private static object?[] Row(ClipRecord c) =>
    [
        c.Id, c.SiteId, c.CameraId, PostgresCommands.Utc(c.FromTicks), PostgresCommands.Utc(c.ToTicks), c.Reason, c.RequestedBy,
        PostgresCommands.Utc(c.RequestedAtTicks), c.Status.ToString(), c.ReceivedBytes, c.TotalBytes, c.Sha256, c.Error,
    ];

    private List<ClipRecord> Query(string where, params object?[] values) => db.Query(Read, $"SELECT {Columns} FROM clips {where}", values);

    private static ClipRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        SiteId = reader.GetString(1),
        CameraId = reader.GetString(2),
        FromTicks = reader.Ticks(3),
        ToTicks = reader.Ticks(4),
        Reason = reader.GetString(5),
        RequestedBy = reader.GetString(6),
        RequestedAtTicks = reader.Ticks(7),
        Status = Enum.Parse<ClipStatus>(reader.GetString(8)),
        ReceivedBytes = reader.GetInt64(9),
        TotalBytes = reader.GetInt64(10),
        Sha256 = reader.Nullable<string>(11),
        Error = reader.Nullable<string>(12),
    };
}
