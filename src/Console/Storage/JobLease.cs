using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>
/// Work that must run on one Console node at a time (alert escalation, webhook delivery, audit retention): a job
/// asks, each round, whether this node holds it now.
/// </summary>
public interface IJobLease
{
    /// <summary>Whether this node runs <paramref name="job"/> this round.</summary>
    bool Holds(string job);

    /// <summary>
    /// Whether other nodes share the database, and so may queue a job's work without this node hearing of it: a job
    /// that sleeps until it is signalled must then also look again every little while.
    /// </summary>
    bool Shared { get; }
}

/// <summary>LiteDB: one node, which runs every job.</summary>
public sealed class SingleNodeLease : IJobLease
{
    public bool Holds(string job) => true;

    public bool Shared => false;
}

/// <summary>
/// PostgreSQL: a job is held by the node whose session holds the job's advisory lock, on a connection of its own.
/// A node that dies (killed, or cut off from the database) loses its session and with it the lock, and the next node
/// to ask takes the job over: within one round of the job's loop once the database has seen the session end.
/// </summary>
public sealed partial class PostgresJobLease(PostgresDatabase db, ILogger<PostgresJobLease> logger) : IJobLease, IDisposable
{
    private readonly Dictionary<string, NpgsqlConnection> _held = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public bool Shared => true;

    public bool Holds(string job)
    {
        lock (_gate)
        {
            if (_held.TryGetValue(job, out var holding))
            {
                if (StillOpen(holding))
                {
                    return true;
                }

                // The session ended (database restart, network cut): the lock went with it; ask again below.
                holding.Dispose();
                _held.Remove(job);
                LogLost(logger, job);
            }

            NpgsqlConnection? connection = null;
            try
            {
                connection = db.Open();
                using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", connection);
                take.Parameters.Add(new NpgsqlParameter { Value = $"servicehall-job:{job}" });
                if ((bool)take.ExecuteScalar()!)
                {
                    _held[job] = connection;
                    LogTaken(logger, job);
                    return true;
                }
            }
            catch (NpgsqlException ex)
            {
                LogUnavailable(logger, job, ex.Message);
            }

            connection?.Dispose();
            return false;
        }
    }

    private static bool StillOpen(NpgsqlConnection connection)
    {
        try
        {
            using var ping = new NpgsqlCommand("SELECT 1", connection);
            ping.ExecuteScalar();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var connection in _held.Values)
            {
                connection.Dispose();
            }

            _held.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now runs the job '{Job}'")]
    private static partial void LogTaken(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node lost the job '{Job}' (its database session ended)")]
    private static partial void LogLost(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot ask the database who runs the job '{Job}': {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string job, string reason);
}
