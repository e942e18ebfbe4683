using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>
/// Alerts on PostgreSQL, shared by every Console node. A unique index over the causes of unresolved alerts makes
/// "one unresolved alert per cause" hold across nodes: an insert for a taken cause does nothing and says so.
/// </summary>
public sealed class PostgresAlertStore(PostgresDatabase db) : IAlertStore
{
    private const string Columns = """
        id, cause, type, site_id, district, subject, state, message, opened_at_ticks, raised_at_ticks, escalation_level,
        acknowledged_at_ticks, acknowledged_by, note, resolved_at_ticks, resolved_by, last_seen_at_ticks, vacated_at_ticks,
        unstaffed_at_ticks, snapshot_sequence
        """;

    public IReadOnlyList<AlertRecord> Unresolved() =>
        db.Query($"SELECT {Columns} FROM alerts WHERE state <> $1", Read, AlertStates.Resolved);

    public bool Insert(AlertRecord record) =>
        db.Execute(
            $"""
            INSERT INTO alerts ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
            ON CONFLICT DO NOTHING
            """,
            record.Id, record.Cause, record.Type, record.SiteId, record.District, record.Subject, record.State, record.Message,
            record.OpenedAtTicks, record.RaisedAtTicks, record.EscalationLevel, record.AcknowledgedAtTicks, record.AcknowledgedBy,
            record.Note, record.ResolvedAtTicks, record.ResolvedBy, record.LastSeenAtTicks, record.VacatedAtTicks,
            record.UnstaffedAtTicks, record.SnapshotSequence) == 1;

    public void Update(AlertRecord record) =>
        db.Execute(
            """
            UPDATE alerts SET state = $2, escalation_level = $3, acknowledged_at_ticks = $4, acknowledged_by = $5, note = $6,
                resolved_at_ticks = $7, resolved_by = $8
            WHERE id = $1
            """,
            record.Id, record.State, record.EscalationLevel, record.AcknowledgedAtTicks, record.AcknowledgedBy, record.Note,
            record.ResolvedAtTicks, record.ResolvedBy);

    public AlertRecord? Find(string alertId) =>
        db.Query($"SELECT {Columns} FROM alerts WHERE id = $1", Read, alertId).SingleOrDefault();

    public IEnumerable<AlertRecord> NewestFirst()
    {
        using var connection = db.Open();
        using var command = connection.CommandIn($"SELECT {Columns} FROM alerts ORDER BY raised_at_ticks DESC", null);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Read(reader);
        }
    }

    private static AlertRecord Read(NpgsqlDataReader row) =>
        new()
        {
            Id = row.GetString(0),
            Cause = row.GetString(1),
            Type = row.GetString(2),
            SiteId = row.GetString(3),
            District = row.GetString(4),
            Subject = row.GetString(5),
            State = row.GetString(6),
            Message = row.GetString(7),
            OpenedAtTicks = row.GetInt64(8),
            RaisedAtTicks = row.GetInt64(9),
            EscalationLevel = row.GetInt32(10),
            AcknowledgedAtTicks = Ticks(row, 11),
            AcknowledgedBy = Text(row, 12),
            Note = Text(row, 13),
            ResolvedAtTicks = Ticks(row, 14),
            ResolvedBy = Text(row, 15),
            LastSeenAtTicks = Ticks(row, 16),
            VacatedAtTicks = Ticks(row, 17),
            UnstaffedAtTicks = Ticks(row, 18),
            SnapshotSequence = Ticks(row, 19),
        };

    private static long? Ticks(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetInt64(column);

    private static string? Text(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}

/// <summary>The webhook's queue on PostgreSQL; identity ids grow, so the smallest is the oldest.</summary>
public sealed class PostgresWebhookQueue(PostgresDatabase db) : IWebhookQueue
{
    public void Add(WebhookPost post) =>
        db.Execute(
            "INSERT INTO webhook_posts (alert_id, alert_json, queued_at_ticks, attempts) VALUES ($1, $2, $3, $4)",
            post.AlertId,
            post.AlertJson,
            post.QueuedAtTicks,
            post.Attempts);

    public WebhookPost? Oldest() =>
        db.Query(
            "SELECT id, alert_id, alert_json, queued_at_ticks, attempts FROM webhook_posts ORDER BY id LIMIT 1",
            row => new WebhookPost { Id = row.GetInt32(0), AlertId = row.GetString(1), AlertJson = row.GetString(2), QueuedAtTicks = row.GetInt64(3), Attempts = row.GetInt32(4) })
        .SingleOrDefault();

    public void Remove(int postId) => db.Execute("DELETE FROM webhook_posts WHERE id = $1", postId);

    public void SaveAttempts(WebhookPost post) => db.Execute("UPDATE webhook_posts SET attempts = $2 WHERE id = $1", post.Id, post.Attempts);

    public int Count() => (int)db.Scalar<long>("SELECT count(*) FROM webhook_posts");
}
