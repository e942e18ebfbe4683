using Microsoft.Extensions.Options;
using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>
/// The PostgreSQL database several Console nodes share (provider <c>postgres</c>): one pooled data source for the
/// process, with the schema migrated to this Console's version before any store uses it.
/// </summary>
public sealed partial class PostgresDatabase : IDisposable
{
    // Any fixed number: every node takes the same lock, so only one migrates and the others wait and find nothing to do.
    private const long MigrationLock = 0x5345_5256_4943_4531;

    public PostgresDatabase(IOptions<StorageOptions> options, ILogger<PostgresDatabase> logger)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString) { ApplicationName = "ServiceHall Console" };
        DataSource = NpgsqlDataSource.Create(builder);
        try
        {
            Migrate(DataSource, SchemaMigrations.Known(), logger);
        }
        catch
        {
            DataSource.Dispose();
            throw;
        }
    }

    public NpgsqlDataSource DataSource { get; }

    public NpgsqlConnection Open() => DataSource.OpenConnection();

    /// <summary>Brings the database to <paramref name="known"/>'s version in one transaction, or refuses (see <see cref="SchemaMigrations.Pending"/>).</summary>
    public static void Migrate(NpgsqlDataSource dataSource, IReadOnlyList<Migration> known, ILogger logger)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """);

        var applied = new List<AppliedMigration>();
        using (var read = new NpgsqlCommand("SELECT version, name FROM schema_migrations ORDER BY version", connection, transaction))
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                applied.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1)));
            }
        }

        foreach (var migration in SchemaMigrations.Pending(known, applied))
        {
            Execute(connection, transaction, migration.Sql);
            using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
            record.ExecuteNonQuery();
            LogMigrated(logger, migration.Version, migration.Name);
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    public void Dispose() => DataSource.Dispose();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "PostgreSQL schema migrated to version {Version} ({Name})")]
    private static partial void LogMigrated(ILogger logger, int version, string name);
}
