using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Storage;

public sealed class SchemaMigrationsTests
{
    private static readonly Migration[] Two = [new(1, "store_probe", "-"), new(2, "events", "-")];

    [Fact]
    public void Known_EveryEmbeddedMigration_InVersionOrder_StartingWithTheProbe()
    {
        var known = SchemaMigrations.Known();

        Assert.Equal(new AppliedMigration(1, "store_probe"), new AppliedMigration(known[0].Version, known[0].Name));
        Assert.Equal(known.Select(m => m.Version).Order(), known.Select(m => m.Version));
        Assert.All(known, m => Assert.False(string.IsNullOrWhiteSpace(m.Sql)));
    }

    [Theory]
    [InlineData("1_probe.sql")]
    [InlineData("0001-probe.sql")]
    [InlineData("0001_Probe.sql")]
    [InlineData("0001_probe.txt")]
    public void Parse_BadFileName_IsRefusedWithTheName(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => SchemaMigrations.Parse(name, "SELECT 1"));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pending_PartlyMigratedDatabase_GetsTheRestInOrder()
    {
        Assert.Equal([2], SchemaMigrations.Pending(Two, [new(1, "store_probe")]).Select(m => m.Version));
        Assert.Equal([1, 2], SchemaMigrations.Pending(Two, []).Select(m => m.Version));
        Assert.Empty(SchemaMigrations.Pending(Two, [new(1, "store_probe"), new(2, "events")]));
    }

    [Fact]
    public void Pending_DatabaseOfANewerConsole_IsRefusedSayingWhichVersion()
    {
        var error = Assert.Throws<SchemaMismatchException>(() => SchemaMigrations.Pending(Two, [new(1, "store_probe"), new(3, "alerts")]));
        Assert.Contains("version 3 (alerts)", error.Message, StringComparison.Ordinal);
        Assert.Contains("knows up to 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pending_SameVersionUnderAnotherName_IsRefused()
    {
        var error = Assert.Throws<SchemaMismatchException>(() => SchemaMigrations.Pending(Two, [new(1, "store_probe"), new(2, "holds")]));
        Assert.Contains("'holds'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresDatabase_OpenedTwice_MigratesOnce_AndKeepsWhatWasStored()
    {
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        Assert.True(new PostgresStoreProbe(world.Postgres, TimeProvider.System).Probe().Working);
        var known = SchemaMigrations.Known();

        world.Reopen();
        using var connection = world.Postgres.Open();
        using var count = new NpgsqlCommand("SELECT count(*), max(version) FROM schema_migrations", connection);
        using var reader = count.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(known.Count, reader.GetInt64(0));
        Assert.Equal(known[^1].Version, reader.GetInt32(1));
        reader.Close();
        using var probe = new NpgsqlCommand("SELECT count(*) FROM store_probe", connection);
        Assert.Equal(1L, probe.ExecuteScalar());
    }

    [Fact]
    public async Task PostgresDatabase_NodesStartingTogether_MigrateOnceWithoutError()
    {
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        var nodes = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => new PostgresDatabase(world.Options, NullLogger<PostgresDatabase>.Instance)))
            .ToArray();
        var opened = await Task.WhenAll(nodes);
        foreach (var node in opened)
        {
            node.Dispose();
        }

        using var connection = world.Postgres.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", connection);
        Assert.Equal((long)SchemaMigrations.Known().Count, count.ExecuteScalar());
    }

    [Fact]
    public async Task ConsoleStart_OnASchemaItDoesNotKnow_RefusesWithTheReason_AndLeavesTheDatabaseAlone()
    {
        var server = await PostgresServer.SharedAsync();
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        _ = world.Postgres;
        world.Reopen();
        var database = new NpgsqlConnectionStringBuilder(world.Options.Value.ConnectionString).Database!;
        await server.ExecuteAsync(database, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ConsoleServer.StartAsync(TestKeyRing.PostgresConsoleArgs(world.Options.Value.ConnectionString!)));

        var mismatch = FindInner<SchemaMismatchException>(error);
        Assert.NotNull(mismatch);
        Assert.Contains("version 9999 (from_the_future)", mismatch.Message, StringComparison.Ordinal);
        using var connection = new NpgsqlConnection(world.Options.Value.ConnectionString);
        connection.Open();
        using var count = new NpgsqlCommand("SELECT count(*) FROM schema_migrations WHERE version = 9999", connection);
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Fact]
    public void Options_PostgresWithoutConnectionString_OrUnknownProvider_AreRefused()
    {
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var noConnection = new StorageOptions { Provider = StorageOptions.Postgres };
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(noConnection, new(noConnection), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(StorageOptions.ConnectionString)));

        errors.Clear();
        var unknown = new StorageOptions { Provider = "mysql" };
        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(unknown, new(unknown), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("'mysql'", StringComparison.Ordinal));
    }

    private static T? FindInner<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }

            if (error is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindInner<T>).FirstOrDefault(e => e is not null);
            }
        }

        return null;
    }
}
