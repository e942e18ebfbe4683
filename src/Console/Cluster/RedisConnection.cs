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

    /// <summary>
    /// Connects before the node serves anything, so its first hub connections join Redis too (a Redis that is down
    /// delays the start by its connect timeout, 5 s by default, then the node starts on its own).
    /// </summary>
    public sealed class Opener(RedisConnection redis) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => redis.GetAsync().WaitAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}
