using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>
/// The PostgreSQL database: open (a connection answers) and writable (the probe row is rewritten in a committed
/// transaction), so a read-only standby or a full disk shows at <c>/health/ready</c> before ingest fails. The free
/// disk is the database server's, not known here.
/// </summary>
public sealed class PostgresStoreProbe(PostgresDatabase db, TimeProvider time) : IStoreProbe
{
    public const string StoreName = "postgres";

    public string Name => StoreName;

    public bool Required => true;

    public StoreProbeResult Probe()
    {
        NpgsqlConnection connection;
        try
        {
            connection = db.Open();
        }
#pragma warning disable CA1031 // Any failure to connect or write is the answer the probe exists to give.
        catch (Exception ex)
        {
            return new StoreProbeResult(false, false, null, $"database cannot be reached: {ex.Message}");
        }

        using (connection)
        {
            try
            {
                using var write = new NpgsqlCommand(
                    "INSERT INTO store_probe (id, written_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
                    connection);
                write.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
                write.ExecuteNonQuery();
                return new StoreProbeResult(true, true, null, null);
            }
            catch (Exception ex)
            {
                return new StoreProbeResult(true, false, null, $"database cannot be written: {ex.Message}");
            }
        }
#pragma warning restore CA1031
    }
}
