using System.Text.Json;
using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Patrol;

/// <summary>
/// Patrols in PostgreSQL: a finding is numbered and stored, and a patrol ended, while its row is locked
/// (<c>FOR UPDATE</c>), so two nodes never give two findings one number nor record after the end.
/// </summary>
public sealed class PostgresPatrolStore(PostgresDatabase db) : IPatrolStore
{
    private const string PatrolColumns = "id, started_by, started_at, ended_at, interval_seconds, stops_json";

    public PatrolRecord Start(string startedBy, int intervalSeconds, IReadOnlyList<PatrolStop> stops, DateTimeOffset now)
    {
        var patrol = PatrolRecord.New(startedBy, intervalSeconds, stops, now);
        db.Execute(
            $"INSERT INTO patrols ({PatrolColumns}) VALUES ($1, $2, $3, NULL, $4, $5)",
            patrol.Id, patrol.StartedBy, now, patrol.IntervalSeconds, JsonSerializer.Serialize(patrol.Stops));
        return patrol;
    }

    public PatrolRecord? Find(string patrolId)
    {
        if (!ClipUploads.IsValidId(patrolId))
        {
            return null;
        }

        using var connection = db.Open();
        return Load(connection, patrolId, forUpdate: false);
    }

    public IReadOnlyList<PatrolRecord> List(Func<string, bool> maySee, int limit)
    {
        using var connection = db.Open();
        var visible = new List<PatrolRecord>();
        using (var command = connection.Command($"SELECT {PatrolColumns} FROM patrols ORDER BY started_at DESC, id"))
        using (var reader = command.ExecuteReader())
        {
            while (visible.Count < limit && reader.Read())
            {
                var patrol = Read(reader);
                if (patrol.Visible(maySee))
                {
                    visible.Add(patrol);
                }
            }
        }

        foreach (var patrol in visible)
        {
            patrol.Findings = Findings(connection, patrol.Id);
        }

        return visible;
    }

    public PatrolFinding? Record(string patrolId, PatrolFinding finding, byte[]? jpeg)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        if (Load(connection, patrolId, forUpdate: true) is not { EndedAtTicks: null } patrol)
        {
            return null;
        }

        patrol.Number(finding, jpeg is not null);
        if (jpeg is not null)
        {
            connection.Execute(
                "INSERT INTO patrol_snapshots (id, jpeg) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET jpeg = excluded.jpeg", finding.SnapshotId, jpeg);
        }

        connection.Execute(
            """
            INSERT INTO patrol_findings (patrol_id, number, stop, site_id, camera_id, at, by_user, verdict, note, snapshot_id, snapshot_taken_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            patrol.Id, finding.Number, finding.Stop, finding.SiteId, finding.CameraId, PostgresCommands.Utc(finding.AtTicks), finding.By,
            finding.Verdict, finding.Note, finding.SnapshotId, PostgresCommands.Utc(finding.SnapshotTakenAtTicks));
        transaction.Commit();
        return finding;
    }

    public bool End(string patrolId, DateTimeOffset now) =>
        ClipUploads.IsValidId(patrolId) && db.Execute("UPDATE patrols SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL", patrolId, now) == 1;

    public byte[]? Snapshot(string snapshotId) =>
        db.Query(reader => reader.GetFieldValue<byte[]>(0), "SELECT jpeg FROM patrol_snapshots WHERE id = $1", snapshotId).FirstOrDefault();

    private static PatrolRecord? Load(NpgsqlConnection connection, string patrolId, bool forUpdate)
    {
        var patrol = connection.Query(Read, $"SELECT {PatrolColumns} FROM patrols WHERE id = $1{(forUpdate ? " FOR UPDATE" : "")}", patrolId).FirstOrDefault();
        if (patrol is not null)
        {
            patrol.Findings = Findings(connection, patrol.Id);
        }

        return patrol;
    }

    private static PatrolRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        StartedBy = reader.GetString(1),
        StartedAtTicks = reader.Ticks(2),
        EndedAtTicks = reader.NullableTicks(3),
        IntervalSeconds = reader.GetInt32(4),
        Stops = JsonSerializer.Deserialize<List<PatrolStop>>(reader.GetString(5)) ?? [],
    };

    private static List<PatrolFinding> Findings(NpgsqlConnection connection, string patrolId) =>
        connection.Query(
            reader => new PatrolFinding
            {
                Number = reader.GetInt32(0),
                Stop = reader.GetInt32(1),
                SiteId = reader.GetString(2),
                CameraId = reader.GetString(3),
                AtTicks = reader.Ticks(4),
                By = reader.GetString(5),
                Verdict = reader.GetString(6),
                Note = reader.GetString(7),
                SnapshotId = reader.Nullable<string>(8),
                SnapshotTakenAtTicks = reader.NullableTicks(9),
            },
            "SELECT number, stop, site_id, camera_id, at, by_user, verdict, note, snapshot_id, snapshot_taken_at FROM patrol_findings WHERE patrol_id = $1 ORDER BY number",
            patrolId);
}
