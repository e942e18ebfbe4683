using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Storage;

/// <summary>backup and restore of a Console on a real PostgreSQL database, through the Console's own commands.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresBackupTests
{
    [Fact]
    public async Task OnlineBackup_RestoredIntoAnEmptyDatabase_HoldsTheSameRows_AndAFullOneIsRefusedUnlessForced()
    {
        using var work = new TempDirectory();
        var archive = work.Combine("pg-backup.zip");
        await using var source = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        await using var target = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        await using (var node = await ConsoleServer.StartAsync([.. TestKeyRing.PostgresConsoleArgs(source.Options.Value.ConnectionString!), $"--Storage:DataDirectory={source.DataDirectory}"]))
        {
            node.AddSite("hall-a", "甲", "d1");
            Assert.True(new PostgresStoreProbe(source.Postgres, TimeProvider.System).Probe().Working);
            // While the node runs: pg_dump reads one snapshot, and no LiteDB file exists on this provider.
            var backedUp = await ConsoleApp.RunAsync(["backup", "--out", archive, .. Args(source)]);
            Assert.Equal(0, backedUp);
        }

        var restored = await ConsoleApp.RunAsync(["restore", "--from", archive, .. Args(target), $"--Storage:DataDirectory={work.Combine("restored")}"]);
        var again = await ConsoleApp.RunAsync(["restore", "--from", archive, .. Args(target), $"--Storage:DataDirectory={work.Combine("again")}"]);
        var forced = await ConsoleApp.RunAsync(["restore", "--from", archive, .. Args(target), $"--Storage:DataDirectory={work.Combine("forced")}", "--force"]);

        Assert.Equal(0, restored);
        Assert.Equal(1, again);
        Assert.Equal(0, forced);
        Assert.False(File.Exists(work.Combine("restored", PostgresBackup.DumpFile)), "the dump is loaded, not left in the data folder");
        foreach (var table in (string[])["schema_migrations", "store_probe", "data_protection_keys", "users", "sites", "site_keys"])
        {
            var expected = Rows(source, table);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, Rows(target, table));
        }
    }

    [Fact]
    public async Task PostgresBackup_RestoredWithTheLiteDbProvider_IsRefusedWithTheReason()
    {
        using var work = new TempDirectory();
        var archive = work.Combine("pg-backup.zip");
        await using var source = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        _ = source.Postgres;
        Assert.Equal(0, await ConsoleApp.RunAsync(["backup", "--out", archive, .. Args(source)]));

        var error = new StringWriter();
        var original = System.Console.Error;
        System.Console.SetError(error);
        int exit;
        try
        {
            exit = await ConsoleApp.RunAsync(["restore", "--from", archive, $"--Storage:DataDirectory={work.Combine("lite")}"]);
        }
        finally
        {
            System.Console.SetError(original);
        }

        Assert.Equal(1, exit);
        Assert.Contains("Storage:Provider=postgres", error.ToString(), StringComparison.Ordinal);
    }

    private static string[] Args(StoreWorld world) =>
        ["--Storage:Provider=postgres", $"--Storage:ConnectionString={world.Options.Value.ConnectionString}", $"--Storage:DataDirectory={world.DataDirectory}"];

    /// <summary>A table's rows as text, in a fixed order (what restore must reproduce).</summary>
    private static List<string> Rows(StoreWorld world, string table)
    {
        using var connection = new NpgsqlConnection(world.Options.Value.ConnectionString);
        connection.Open();
        using var read = new NpgsqlCommand($"SELECT t::text FROM {table} t ORDER BY 1", connection);
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
