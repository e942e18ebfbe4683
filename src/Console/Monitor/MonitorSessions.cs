using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Auth;

namespace ServiceHall.Console.Monitor;

/// <summary>
/// Keeps the monitor hub's sessions honest: a connection opens and a call runs only while the session is current
/// (<see cref="UserSessions.IsCurrent"/>), and when a user's role, districts or password change or they are disabled,
/// every open connection of theirs is closed at once rather than at its next call.
/// </summary>
public sealed partial class MonitorSessions : IHubFilter
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);
    private readonly IUserStore _users;
    private readonly IOptions<AuthOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MonitorSessions> _logger;

    public MonitorSessions(IUserStore users, IOptions<AuthOptions> options, TimeProvider time, ILogger<MonitorSessions> logger)
    {
        _users = users;
        _options = options;
        _time = time;
        _logger = logger;
        users.SessionsEnded += Close;
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        EnsureCurrent(context.Context);
        _connections[context.Context.ConnectionId] = context.Context;
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _connections.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        EnsureCurrent(invocationContext.Context);
        return next(invocationContext);
    }

    private void EnsureCurrent(HubCallerContext connection)
    {
        var user = _users.Find(connection.UserIdentifier ?? connection.User?.Identity?.Name ?? "");
        if (connection.User is null || !UserSessions.IsCurrent(connection.User, user, _options.Value.SessionAbsoluteLifetime, _time.GetUtcNow()))
        {
            connection.Abort();
            throw new HubException("session ended; sign in again");
        }
    }

    private void Close(string userId)
    {
        foreach (var connection in _connections.Values.Where(c => c.User?.Identity?.Name == userId))
        {
            LogClosed(_logger, connection.ConnectionId, userId);
            connection.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed monitor connection {ConnectionId}: the sessions of '{User}' ended")]
    private static partial void LogClosed(ILogger logger, string connectionId, string user);
}
