using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace ServiceHall.Console.Cluster;

/// <summary>
/// The Redis backplane with this node's own connections as its fallback. ASP.NET Core's Redis backplane stops a
/// node's hubs when Redis is down (sends fail, new connections cannot join their groups); here every connection and
/// group is also kept locally, and while Redis does not answer, messages go to this node's own connections only:
/// Recorders keep delivering events and supervisors on the same node keep their pushes. Connections that joined
/// during the outage have no Redis subscriptions, so they are closed once Redis is back and reconnect (both clients
/// reconnect by themselves) to be reachable from every node again.
/// </summary>
public sealed partial class FallbackHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable
    where THub : Hub
{
    private readonly DefaultHubLifetimeManager<THub> _local;
    private readonly RedisHubLifetimeManager<THub> _redis;
    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly HubConnectionStore _joinedWithoutRedis = new();
    private readonly Lock _gate = new();

    public FallbackHubLifetimeManager(DefaultHubLifetimeManager<THub> local, RedisHubLifetimeManager<THub> redis, RedisConnection connection, ILogger<FallbackHubLifetimeManager<THub>> logger)
    {
        _local = local;
        _redis = redis;
        _connection = connection;
        _logger = logger;
        _ = WatchAsync();
    }

    private bool RedisUp => _connection.GetAsync() is { IsCompletedSuccessfully: true } ready && ready.Result.IsConnected;

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _local.OnConnectedAsync(connection);
        if (!await TryRedisAsync(() => _redis.OnConnectedAsync(connection)))
        {
            lock (_gate)
            {
                _joinedWithoutRedis.Add(connection);
            }
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        lock (_gate)
        {
            _joinedWithoutRedis.Remove(connection);
        }

        await _local.OnDisconnectedAsync(connection);
        await TryRedisAsync(() => _redis.OnDisconnectedAsync(connection));
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.AddToGroupAsync(connectionId, groupName, cancellationToken);
        await TryRedisAsync(() => _redis.AddToGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        await _local.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
        await TryRedisAsync(() => _redis.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllAsync(methodName, args, cancellationToken));

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionAsync(connectionId, methodName, args, cancellationToken));

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken));

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupAsync(groupName, methodName, args, cancellationToken));

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupsAsync(groupNames, methodName, args, cancellationToken));

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUserAsync(userId, methodName, args, cancellationToken));

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAsync(m => m.SendUsersAsync(userIds, methodName, args, cancellationToken));

    public void Dispose() => _redis.Dispose();

    /// <summary>Through Redis (which reaches this node's connections too) when it answers; to this node's own connections otherwise.</summary>
    private async Task SendAsync(Func<HubLifetimeManager<THub>, Task> send)
    {
        if (RedisUp && await TryRedisAsync(() => send(_redis)))
        {
            return;
        }

        await send(_local);
    }

    /// <summary>Runs a Redis step; false when Redis is down or fails it (the local step has been or will be done).</summary>
    private async Task<bool> TryRedisAsync(Func<Task> step)
    {
        if (!RedisUp)
        {
            return false;
        }

        try
        {
            await step();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisStepFailed(_logger, ex.Message);
            return false;
        }
    }

    private async Task WatchAsync()
    {
        var multiplexer = await _connection.GetAsync();
        multiplexer.ConnectionRestored += (_, _) => CloseJoinedWithoutRedis();
    }

    private void CloseJoinedWithoutRedis()
    {
        List<HubConnectionContext> closing;
        lock (_gate)
        {
            closing = [.. _joinedWithoutRedis];
        }

        if (closing.Count > 0)
        {
            LogClosingAfterOutage(_logger, closing.Count);
        }

        foreach (var connection in closing)
        {
            connection.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis backplane step failed, this node's own connections only: {Reason}")]
    private static partial void LogRedisStepFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back: closing {Count} connections that joined during the outage, so they reconnect reachable from every node")]
    private static partial void LogClosingAfterOutage(ILogger logger, int count);
}
