using ServiceHall.Console.Tests.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>
/// A fresh PostgreSQL database and a real Redis, and the Console nodes a test starts on them; disposed nodes first.
/// </summary>
internal sealed class SharedStores : IAsyncDisposable
{
    private readonly List<ConsoleServer> _nodes = [];
    private readonly StoreWorld _world;
    private readonly RedisServer _redis;

    private SharedStores(StoreWorld world, RedisServer redis) => (_world, _redis) = (world, redis);

    public static async Task<SharedStores> StartAsync() =>
        new(await StoreWorld.CreateAsync(StoreProvider.Postgres), await RedisServer.StartAsync());

    /// <summary>A node on the shared database and Redis, with the shared key-ring certificate.</summary>
    public async Task<ConsoleServer> StartNodeAsync()
    {
        var node = await ConsoleServer.StartAsync([.. TestKeyRing.PostgresConsoleArgs(_world.Options.Value.ConnectionString!), $"--Cluster:Redis={_redis.Configuration}"]);
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
        await _world.DisposeAsync();
    }
}
