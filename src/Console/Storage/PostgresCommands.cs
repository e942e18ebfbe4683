using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>
/// Commands with positional parameters (<c>$1</c>, <c>$2</c>...) for the PostgreSQL stores: values always travel as
/// parameters, never spliced into the SQL.
/// </summary>
public static class PostgresCommands
{
    /// <summary>A command on <paramref name="connection"/> (in <paramref name="transaction"/> when given); a null value is SQL NULL.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>Runs a statement on its own connection from the pool; the rows it changed.</summary>
    public static int Execute(this PostgresDatabase db, string sql, params object?[] values)
    {
        using var connection = db.Open();
        using var command = connection.Command(sql, null, values);
        return command.ExecuteNonQuery();
    }

    /// <summary>Reads every row of a query on its own connection from the pool, each through <paramref name="read"/>.</summary>
    public static List<T> Query<T>(this PostgresDatabase db, string sql, Func<NpgsqlDataReader, T> read, params object?[] values)
    {
        using var connection = db.Open();
        using var command = connection.Command(sql, null, values);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first column of the first row, or default when there is no row or it is NULL.</summary>
    public static T? Scalar<T>(this PostgresDatabase db, string sql, params object?[] values)
    {
        using var connection = db.Open();
        using var command = connection.Command(sql, null, values);
        return command.ExecuteScalar() is T value ? value : default;
    }
}
