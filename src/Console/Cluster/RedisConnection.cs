using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ServiceHall.Console.Cluster;

/// <summary>
/// The node's one connection to Redis, shared by the SignalR backplane and the health probe. It never refuses to
/// start: a Redis that is down at start or later is retried in the background while the node serves its own
/// connections, and <c>/health/ready</c> says so.
/// </summary>
public sealed class RedisConnection(IOptions<ClusterOptions> options) : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection = new(() => ConnectAsync(options.Value));

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    private static async Task<IConnectionMultiplexer> ConnectAsync(ClusterOptions options)
    {
        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = $"servicehall-console-{Environment.MachineName}-{Environment.ProcessId}";
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
