using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ServiceHall.Console.Cluster;

/// <summary>
/// The node bus on Redis: a pub/sub channel per topic (a node skips its own messages) and a hash per shared table,
/// all under the cluster's channel prefix. Sends are fire-and-forget: a lost message costs a stale tile until the
/// next heartbeat, never a stored event, which PostgreSQL holds.
/// </summary>
public sealed partial class RedisNodeBus(RedisConnection redis, IOptions<ClusterOptions> options, ILogger<RedisNodeBus> logger) : INodeBus
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<Func<Task>> _subscriptions = [];
    private int _watching;

    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public bool InTouch => Connected() is { IsConnected: true };

    public event Action? Rejoined;

    public void Publish<T>(string topic, T message)
    {
        if (Connected() is { IsConnected: true } multiplexer)
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new Envelope<T>(NodeId, message), Json);
            multiplexer.GetSubscriber().Publish(Channel(topic), payload, CommandFlags.FireAndForget);
        }
    }

    public void Save<T>(string table, string key, T value)
    {
        if (Connected() is { IsConnected: true } multiplexer)
        {
            multiplexer.GetDatabase().HashSet(Table(table), key, JsonSerializer.SerializeToUtf8Bytes(value, Json), flags: CommandFlags.FireAndForget);
        }
    }

    public async Task<IReadOnlyList<T>> LoadAsync<T>(string table)
    {
        try
        {
            var multiplexer = await redis.GetAsync();
            var entries = await multiplexer.GetDatabase().HashGetAllAsync(Table(table));
            var values = new List<T>(entries.Length);
            foreach (var entry in entries)
            {
                if (Read<T>(entry.Value) is { } value)
                {
                    values.Add(value);
                }
            }

            return values;
        }
        catch (RedisException ex)
        {
            LogLoadFailed(logger, table, ex.Message);
            return [];
        }
    }

    public async Task SubscribeAsync<T>(string topic, Func<T, Task> handle)
    {
        var multiplexer = await redis.GetAsync();
        Watch(multiplexer);
        // A node that started while Redis was down subscribes once it connects; StackExchange.Redis then restores
        // the subscription itself after every later outage.
        var subscribed = 0;
        async Task TryAsync()
        {
            if (Volatile.Read(ref subscribed) == 1)
            {
                return;
            }

            try
            {
                var queue = await multiplexer.GetSubscriber().SubscribeAsync(Channel(topic));
                queue.OnMessage(message => DeliverAsync(topic, message.Message, handle));
                Volatile.Write(ref subscribed, 1);
            }
            catch (RedisException ex)
            {
                LogSubscribeFailed(logger, topic, ex.Message);
            }
        }

        lock (_subscriptions)
        {
            _subscriptions.Add(TryAsync);
        }

        await TryAsync();
    }

    private void Watch(IConnectionMultiplexer multiplexer)
    {
        if (Interlocked.Exchange(ref _watching, 1) == 1)
        {
            return;
        }

        multiplexer.ConnectionRestored += (_, _) =>
        {
            Func<Task>[] pending;
            lock (_subscriptions)
            {
                pending = [.. _subscriptions];
            }

            foreach (var subscribe in pending)
            {
                _ = subscribe();
            }

            Rejoined?.Invoke();
        };
    }

    private async Task DeliverAsync<T>(string topic, RedisValue payload, Func<T, Task> handle)
    {
        if (Read<Envelope<T>>(payload) is not { } envelope || envelope.Origin == NodeId || envelope.Body is null)
        {
            return;
        }

        try
        {
            await handle(envelope.Body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHandleFailed(logger, topic, ex);
        }
    }

    private T? Read<T>(RedisValue payload)
    {
        try
        {
            return payload.IsNullOrEmpty ? default : JsonSerializer.Deserialize<T>((byte[])payload!, Json);
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, typeof(T).Name, ex.Message);
            return default;
        }
    }

    private IConnectionMultiplexer? Connected() =>
        redis.GetAsync() is { IsCompletedSuccessfully: true } ready ? ready.Result : null;

    private RedisChannel Channel(string topic) => RedisChannel.Literal($"{options.Value.ChannelPrefix}:bus:{topic}");

    private RedisKey Table(string table) => $"{options.Value.ChannelPrefix}:table:{table}";

    /// <summary>A message and the node that sent it.</summary>
    private sealed record Envelope<T>(string Origin, T Body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node bus: subscribing to {Topic} failed, retried when Redis returns: {Reason}")]
    private static partial void LogSubscribeFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node bus: loading table {Table} failed: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string table, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node bus: a {Type} from Redis could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Node bus: handling a message on {Topic} failed")]
    private static partial void LogHandleFailed(ILogger logger, string topic, Exception exception);
}
