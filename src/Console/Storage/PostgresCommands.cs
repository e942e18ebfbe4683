using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>Commands with positional parameters (<c>$1</c>, <c>$2</c>...): values always travel as parameters, never inside the SQL.</summary>
public static class PostgresCommands
{
    /// <summary>A command on <paramref name="connection"/> whose <c>$n</c> is <paramref name="values"/>[n-1]; null is SQL NULL.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>Runs a query and reads each row with <paramref name="read"/>.</summary>
    public static List<T> Query<T>(this NpgsqlConnection connection, Func<NpgsqlDataReader, T> read, string sql, params object?[] values)
    {
        using var command = connection.Command(sql, values);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public static int Execute(this NpgsqlConnection connection, string sql, params object?[] values)
    {
        using var command = connection.Command(sql, values);
        return command.ExecuteNonQuery();
    }

    /// <summary>Reads a nullable column: null for SQL NULL.</summary>
    public static T? Nullable<T>(this NpgsqlDataReader reader, int ordinal) where T : class => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    /// <summary>Reads a nullable timestamp as UTC ticks: null for SQL NULL.</summary>
    public static long? NullableTicks(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal).UtcTicks;

    /// <summary>Reads a timestamp as UTC ticks.</summary>
    public static long Ticks(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal).UtcTicks;

    /// <summary>UTC ticks as the timestamp value a parameter takes.</summary>
    public static DateTimeOffset Utc(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Nullable UTC ticks as a parameter value.</summary>
    public static DateTimeOffset? Utc(long? ticks) => ticks is { } t ? new(t, TimeSpan.Zero) : null;

    /// <summary>Runs a query on a pooled connection of its own and reads each row with <paramref name="read"/>.</summary>
    public static List<T> Query<T>(this PostgresDatabase db, Func<NpgsqlDataReader, T> read, string sql, params object?[] values)
    {
        using var connection = db.Open();
        return connection.Query(read, sql, values);
    }

    /// <summary>Runs a statement on a pooled connection of its own; returns the rows it changed.</summary>
    public static int Execute(this PostgresDatabase db, string sql, params object?[] values)
    {
        using var connection = db.Open();
        return connection.Execute(sql, values);
    }
}
