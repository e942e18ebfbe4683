using System.Diagnostics;
using Npgsql;

namespace ServiceHall.Console.Storage;

/// <summary>
/// The PostgreSQL database's part of a backup: <c>pg_dump</c> in its custom format, taken from one snapshot, so it
/// runs while the Console nodes keep working (an online backup). Restore loads it with <c>pg_restore</c> into an
/// empty database (or, forced, over the existing objects) in one transaction.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresBackup(StorageOptions storage) : IStoreBackup
{
    /// <summary>Where the dump sits in the archive (under <c>data/</c>); restore takes it out of the data folder again.</summary>
    public const string DumpFile = "postgres.dump";

    public string Name => PostgresStoreProbe.StoreName;

    public IReadOnlyCollection<string> OwnFiles => [DumpFile];

    public void WriteTo(BackupArchive archive)
    {
        var dump = Path.Combine(Path.GetTempPath(), $"servicehall-{Guid.NewGuid():N}.dump");
        try
        {
            Run("pg_dump", storage.ConnectionString!, ["--format=custom", "--no-owner", "--no-privileges", $"--file={dump}"]);
            using var file = File.OpenRead(dump);
            archive.Add(DumpFile, file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>
    /// Loads <paramref name="dumpPath"/> into the configured database. Refused when the database already holds a
    /// Console schema, unless <paramref name="force"/> (then the dump's objects replace the existing ones).
    /// </summary>
    public static void Restore(string connectionString, string dumpPath, bool force)
    {
        if (!force && HasSchema(connectionString))
        {
            throw new BackupException("the PostgreSQL database already holds a Console schema: restore into an empty database, or add --force to replace its objects");
        }

        string[] clean = force ? ["--clean", "--if-exists"] : [];
        Run("pg_restore", connectionString, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", .. clean, dumpPath]);
    }

    private static bool HasSchema(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT to_regclass('public.schema_migrations') IS NOT NULL", connection);
        return (bool)command.ExecuteScalar()!;
    }

    /// <summary>Runs a PostgreSQL client program against the connection string's server and database (the password, if any, in its environment).</summary>
    private static void Run(string program, string connectionString, string[] arguments)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--dbname={settings.Database}");
        start.ArgumentList.Add($"--host={settings.Host}");
        start.ArgumentList.Add($"--port={settings.Port}");
        if (settings.Username is { Length: > 0 } user)
        {
            start.ArgumentList.Add($"--username={user}");
        }

        start.ArgumentList.Add("--no-password");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (settings.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new BackupException($"{program} cannot be run ({ex.Message}): install the PostgreSQL client (Debian: postgresql-client)");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new BackupException($"{program} failed (exit {process.ExitCode}): {error.Result.Trim()}");
            }
        }
    }
}
