using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Storage;

public enum StoreProvider
{
    LiteDb,
    Postgres,
}

/// <summary>
/// A fresh, empty store of one provider for one test: a LiteDB file in a temp folder, or a new database on the test
/// PostgreSQL server (migrated to this Console's schema). Contract tests run the same facts on both: an abstract
/// class of facts that takes the provider, and one sealed subclass per provider.
/// </summary>
public sealed class StoreWorld : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly PostgresServer? _server;
    private ConsoleDatabase? _liteDb;
    private PostgresDatabase? _postgres;

    private StoreWorld(StoreProvider provider, PostgresServer? server, string? connectionString)
    {
        Provider = provider;
        _server = server;
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions
        {
            Provider = provider == StoreProvider.Postgres ? StorageOptions.Postgres : StorageOptions.LiteDb,
            DataDirectory = _folder.Path,
            ConnectionString = connectionString,
        });
    }

    public StoreProvider Provider { get; }

    public IOptions<StorageOptions> Options { get; }

    /// <summary>Folder of the LiteDB file and of uploads, on both providers.</summary>
    public string DataDirectory => _folder.Path;

    public ConsoleDatabase LiteDb => _liteDb ??= new ConsoleDatabase(Options);

    public PostgresDatabase Postgres => _postgres ??= new PostgresDatabase(Options, NullLogger<PostgresDatabase>.Instance);

    public static async Task<StoreWorld> CreateAsync(StoreProvider provider)
    {
        if (provider == StoreProvider.LiteDb)
        {
            return new StoreWorld(provider, null, null);
        }

        var server = await PostgresServer.SharedAsync();
        return new StoreWorld(provider, server, await server.CreateDatabaseAsync());
    }

    /// <summary>
    /// Closes the store and opens it again on the same data (LiteDB file or PostgreSQL database), as a restarted
    /// Console would: what a store kept must still be there.
    /// </summary>
    public void Reopen()
    {
        _liteDb?.Dispose();
        _liteDb = null;
        _postgres?.Dispose();
        _postgres = null;
    }

    public async ValueTask DisposeAsync()
    {
        _liteDb?.Dispose();
        _postgres?.Dispose();
        if (_server is not null)
        {
            await _server.DropDatabaseAsync(Options.Value.ConnectionString!);
        }

        _folder.Dispose();
    }
}
