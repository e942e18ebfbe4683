using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>
/// Commands with positional parameters (<c>$1</c>, <c>$2</c>...) for the PostgreSQL stores: values always travel as
/// parameters, never spliced into the SQL. On a connection the caller holds (inside its transaction or lock), or on a
/// pooled connection of the store's own for a single statement.
/// </summary>
public static class PostgresCommands
{
    /// <summary>A command on <paramref name="connection"/> in <paramref name="transaction"/> (none when null); a null value is SQL NULL.</summary>
    public static NpgsqlCommand CommandIn(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>A command on <paramref name="connection"/> whose <c>$n</c> is <paramref name="values"/>[n-1]; null is SQL NULL.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] values) =>
        connection.CommandIn(sql, null, values);

    /// <summary>Runs a query on <paramref name="connection"/> and reads each row with <paramref name="read"/>.</summary>
    public static List<T> Query<T>(this NpgsqlConnection connection, Func<NpgsqlDataReader, T> read, string sql, params object?[] values)
    {
        using var command = connection.CommandIn(sql, null, values);
        return ReadAll(command, read);
    }

    /// <summary>Runs a statement on <paramref name="connection"/>; returns the rows it changed.</summary>
    public static int Execute(this NpgsqlConnection connection, string sql, params object?[] values)
    {
        using var command = connection.CommandIn(sql, null, values);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement on its own connection from the pool; the rows it changed.</summary>
    public static int Execute(this PostgresDatabase db, string sql, params object?[] values)
    {
        using var connection = db.Open();
        return connection.Execute(sql, values);
    }

    /// <summary>Reads every row of a query on its own connection from the pool, each through <paramref name="read"/>.</summary>
    public static List<T> Query<T>(this PostgresDatabase db, string sql, Func<NpgsqlDataReader, T> read, params object?[] values)
    {
        using var connection = db.Open();
        return connection.Query(read, sql, values);
    }

    /// <summary>Reads every row of a query on its own connection from the pool, each through <paramref name="read"/>.</summary>
    public static List<T> Query<T>(this PostgresDatabase db, Func<NpgsqlDataReader, T> read, string sql, params object?[] values) =>
        db.Query(sql, read, values);

    /// <summary>The first column of the first row, or default when there is no row or it is NULL.</summary>
    public static T? Scalar<T>(this PostgresDatabase db, string sql, params object?[] values)
    {
        using var connection = db.Open();
        using var command = connection.CommandIn(sql, null, values);
        return command.ExecuteScalar() is T value ? value : default;
    }

    /// <summary>Reads a nullable column: null for SQL NULL.</summary>
    public static T? Nullable<T>(this NpgsqlDataReader reader, int ordinal)
        where T : class => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    /// <summary>Reads a nullable timestamp as UTC ticks: null for SQL NULL.</summary>
    public static long? NullableTicks(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal).UtcTicks;

    /// <summary>Reads a timestamp as UTC ticks.</summary>
    public static long Ticks(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal).UtcTicks;

    /// <summary>UTC ticks as the timestamp value a parameter takes.</summary>
    public static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Nullable UTC ticks as a parameter value.</summary>
    public static DateTimeOffset? Utc(long? ticks) => ticks is { } t ? new(t, TimeSpan.Zero) : null;

    private static List<T> ReadAll<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
