using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ServiceHall.Testing;

/// <summary>
/// A real PostgreSQL server (Debian's binaries) in a temp folder on a free loopback port, started once per test
/// process and stopped when it exits. Each test asks for a database of its own (<see cref="CreateDatabaseAsync"/>).
/// Durability is turned off (<c>fsync=off</c>): these tests check what is stored, not what survives a power cut.
/// </summary>
public sealed class PostgresServer
{
    public const string User = "servicehall";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(StartSharedAsync);

    private readonly string _folder;

    private PostgresServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The process's one server, started on first use.</summary>
    public static Task<PostgresServer> SharedAsync() => SharedServer.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Maximum Pool Size=20;Timeout=15;Command Timeout=30";

    /// <summary>A new empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever still uses it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Runs one statement as the superuser against <paramref name="database"/> (test set-up only).</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var bin = BinFolder();
        var parent = Path.Combine(Path.GetTempPath(), "servicehall-tests");
        RemoveStopped(parent);
        var folder = Path.Combine(parent, $"pg-{Guid.NewGuid():N}"[..15]);
        var data = Path.Combine(folder, "data");
        Directory.CreateDirectory(folder);
        OwnedByPostgres(folder);

        await RunAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        var port = Loopback.FreePort();
        var options = string.Join(' ',
            $"-p {port.ToString(CultureInfo.InvariantCulture)}",
            $"-k {folder}",
            "-c listen_addresses=127.0.0.1",
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "-c max_connections=400 -c shared_buffers=64MB");
        await RunAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start");

        var server = new PostgresServer(folder, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(bin, data);
        return server;
    }

    private void Stop(string bin, string data)
    {
        try
        {
            using var stop = Process.Start(Start(Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"));
            stop?.WaitForExit(20_000);
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner; the server itself has stopped or never started.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_ctl vanished: nothing to stop with.
        }
    }

    // A test host may be ended before its exit handler has removed the folder: servers that have stopped (no
    // postmaster.pid) leave theirs for the next start to remove. Recent folders may be another test process's
    // server still being created, and are left alone.
    private static void RemoveStopped(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var stale in Directory.GetDirectories(parent, "pg-*").Where(d =>
            !File.Exists(Path.Combine(d, "data", "postmaster.pid")) && Directory.GetCreationTimeUtc(d) < DateTime.UtcNow.AddMinutes(-10)))
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
                // Another test process is creating it right now, or it is in use: left alone.
            }
        }
    }

    private static string BinFolder()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var bin = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order(StringComparer.Ordinal).LastOrDefault();
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run ./hall.sh setup");
    }

    // initdb and the server refuse to run as root: as root, the folder goes to the postgres user and they run as it.
    private static bool AsRoot => Environment.UserName == "root";

    private static void OwnedByPostgres(string folder)
    {
        if (AsRoot)
        {
            using var chown = Process.Start("chown", ["postgres:postgres", folder])!;
            chown.WaitForExit();
        }
    }

    private static ProcessStartInfo Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(AsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (AsRoot)
        {
            foreach (var a in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(Start(program, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
