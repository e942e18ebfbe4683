using System.Data;
using Npgsql;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Audit;

/// <summary>
/// The audit chain on PostgreSQL, shared by every Console node. The head lives in the database, not in a process:
/// each append locks the head row (<c>SELECT ... FOR UPDATE</c>) in its transaction, so two nodes appending at once
/// wait for each other and the log stays one chain.
/// </summary>
public sealed class PostgresAuditStore(PostgresDatabase db) : IAuditStore
{
    private const string Columns = "id, at_ticks, actor, action, target, detail, previous_hash, hash";

    public AuditEntry Append(string actor, string action, string target, string? detail, long atTicks)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        var (headId, headHash) = ReadHead(connection, transaction, "SELECT head_id, head_hash FROM audit_head WHERE id = 1 FOR UPDATE");
        var entry = AuditChain.Next(headId, headHash, atTicks, actor, action, target, detail);
        using (var insert = connection.CommandIn(
            $"INSERT INTO audit ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            transaction,
            entry.Id,
            entry.AtTicks,
            entry.Actor,
            entry.Action,
            entry.Target,
            entry.Detail,
            entry.PreviousHash,
            entry.Hash))
        {
            insert.ExecuteNonQuery();
        }

        using (var head = connection.CommandIn("UPDATE audit_head SET head_id = $1, head_hash = $2 WHERE id = 1", transaction, entry.Id, entry.Hash))
        {
            head.ExecuteNonQuery();
        }

        transaction.Commit();
        return entry;
    }

    public IReadOnlyList<AuditEntry> Page(int? before, int limit) =>
        db.Query($"SELECT {Columns} FROM audit WHERE id < $1 ORDER BY id DESC LIMIT $2", Read, before ?? int.MaxValue, limit);

    public (int Id, string Hash) Head()
    {
        using var connection = db.Open();
        return ReadHead(connection, null, "SELECT head_id, head_hash FROM audit_head WHERE id = 1");
    }

    public AuditChainReport Verify()
    {
        using var connection = db.Open();
        // One snapshot for the head and the entries: appends and prunes by other nodes meanwhile are not seen half-done.
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        AuditAnchor anchor;
        int headId;
        string headHash;
        using (var head = connection.CommandIn("SELECT head_id, head_hash, pruned_through_id, anchor_hash FROM audit_head WHERE id = 1", transaction))
        using (var row = head.ExecuteReader())
        {
            row.Read();
            (headId, headHash) = (row.GetInt32(0), row.GetString(1));
            anchor = new AuditAnchor { PrunedThroughId = row.GetInt32(2), Hash = row.GetString(3) };
        }

        using var entries = connection.CommandIn($"SELECT {Columns} FROM audit ORDER BY id", transaction);
        using var reader = entries.ExecuteReader();
        return AuditChain.Walk(anchor, headId, headHash, ReadAll(reader));
    }

    public AuditPruned? Prune(long cutoffTicks, DateTimeOffset now)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        // Appends wait while the anchor moves; removing entries and moving the anchor commit together or not at all.
        ReadHead(connection, transaction, "SELECT head_id, head_hash FROM audit_head WHERE id = 1 FOR UPDATE");
        AuditPruned? pruned;
        using (var select = connection.CommandIn(
            """
            SELECT count(*), max(id), (array_agg(hash ORDER BY id DESC))[1] FROM audit
            WHERE id < coalesce((SELECT min(id) FROM audit WHERE at_ticks >= $1), 2147483647)
            """,
            transaction,
            cutoffTicks))
        using (var row = select.ExecuteReader())
        {
            row.Read();
            pruned = row.GetInt64(0) == 0 ? null : new AuditPruned(row.GetInt64(0), row.GetInt32(1), row.GetString(2));
        }

        if (pruned is null)
        {
            return null;
        }

        using (var delete = connection.CommandIn("DELETE FROM audit WHERE id <= $1", transaction, pruned.Id))
        {
            delete.ExecuteNonQuery();
        }

        using (var anchor = connection.CommandIn(
            "UPDATE audit_head SET pruned_through_id = $1, anchor_hash = $2, pruned_count = pruned_count + $3, pruned_at_ticks = $4 WHERE id = 1",
            transaction,
            pruned.Id,
            pruned.Hash,
            pruned.Count,
            now.UtcTicks))
        {
            anchor.ExecuteNonQuery();
        }

        transaction.Commit();
        return pruned;
    }

    private static (int Id, string Hash) ReadHead(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = connection.CommandIn(sql, transaction);
        using var row = command.ExecuteReader();
        row.Read();
        return (row.GetInt32(0), row.GetString(1));
    }

    private static IEnumerable<AuditEntry> ReadAll(NpgsqlDataReader reader)
    {
        while (reader.Read())
        {
            yield return Read(reader);
        }
    }

    private static AuditEntry Read(NpgsqlDataReader row) =>
        new()
        {
            Id = row.GetInt32(0),
            AtTicks = row.GetInt64(1),
            Actor = row.GetString(2),
            Action = row.GetString(3),
            Target = row.GetString(4),
            Detail = row.IsDBNull(5) ? null : row.GetString(5),
            PreviousHash = row.GetString(6),
            Hash = row.GetString(7),
        };
}
