using ServiceHall.Console.Storage;
using StackExchange.Redis;

namespace ServiceHall.Console.Cluster;

/// <summary>
/// Redis, as the health checks and metrics see it: open and writable when a PING answers. When it does not, pushes
/// between nodes have stopped (each node still serves its own connections; nothing stored depends on Redis).
/// </summary>
public sealed class RedisProbe(RedisConnection redis) : IStoreProbe
{
    public const string StoreName = "redis";

    public string Name => StoreName;

    public bool Required => false;

    public StoreProbeResult Probe()
    {
        try
        {
            var connection = redis.GetAsync().GetAwaiter().GetResult();
            connection.GetDatabase().Ping();
            return new StoreProbeResult(true, true, null, null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new StoreProbeResult(false, false, null, $"Redis does not answer, pushes between Console nodes have stopped: {ex.Message}");
        }
    }
}
