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
}
