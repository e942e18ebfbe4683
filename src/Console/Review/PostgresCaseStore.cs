using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>Cases in PostgreSQL; each has a fresh random id, so two nodes keeping cases at once never collide.</summary>
public sealed class PostgresCaseStore(PostgresDatabase db) : ICaseStore
{
    private const string Columns = "id, clip_id, site_id, camera_id, from_at, to_at, reason, kept_by, kept_at, sha256";

    public CaseRecord Keep(ClipRecord clip, string sha256, string reason, string keptBy, DateTimeOffset now)
    {
        var kept = CaseRecord.Of(clip, sha256, reason, keptBy, now);
        db.Execute(
            $"INSERT INTO cases ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            kept.Id, kept.ClipId, kept.SiteId, kept.CameraId, PostgresCommands.Utc(kept.FromTicks), PostgresCommands.Utc(kept.ToTicks),
            kept.Reason, kept.KeptBy, PostgresCommands.Utc(kept.KeptAtTicks), kept.Sha256);
        return kept;
    }

    public CaseRecord? Find(string caseId)
    {
        if (!ClipUploads.IsValidId(caseId))
        {
            return null;
        }

        return db.Query(Read, $"SELECT {Columns} FROM cases WHERE id = $1", caseId).FirstOrDefault();
    }

    public IReadOnlyList<CaseRecord> List(Func<string, bool> maySee, int limit)
    {
        // Who may see which site is decided here, not in SQL, so the rows are read newest first until enough pass.
        using var connection = db.Open();
        using var command = connection.Command($"SELECT {Columns} FROM cases ORDER BY kept_at DESC, id");
        using var reader = command.ExecuteReader();
        var cases = new List<CaseRecord>();
        while (cases.Count < limit && reader.Read())
        {
            var kept = Read(reader);
            if (maySee(kept.SiteId))
            {
                cases.Add(kept);
            }
        }

        return cases;
    }

    private static CaseRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ClipId = reader.GetString(1),
        SiteId = reader.GetString(2),
        CameraId = reader.GetString(3),
        FromTicks = reader.Ticks(4),
        ToTicks = reader.Ticks(5),
        Reason = reader.GetString(6),
        KeptBy = reader.GetString(7),
        KeptAtTicks = reader.Ticks(8),
        Sha256 = reader.GetString(9),
    };
}
