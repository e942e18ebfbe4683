using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Bench.Failover;

/// <summary>
/// A signed-in supervisor's screen watching every site through the proxy, as the browser's shell does: one WebSocket,
/// negotiation skipped, and when its node goes it connects again (to whichever node the proxy gives) and watches anew.
/// It notes every window change and every new alert it is pushed.
/// </summary>
public sealed class SimulatedMonitor(Uri proxy, CookieContainer cookies)
{
    private readonly Lock _gate = new();
    private readonly HashSet<(string SiteId, long SinceTicks)> _windows = [];
    private readonly HashSet<string> _alerts = new(StringComparer.Ordinal);
    private int _connects;

    public int Connects => Volatile.Read(ref _connects);

    public int Received
    {
        get
        {
            lock (_gate)
            {
                return _windows.Count + _alerts.Count;
            }
        }
    }

    /// <summary>Window changes received, as (site, since) — the since of an occupancy change is its event's time.</summary>
    public IReadOnlySet<(string SiteId, long SinceTicks)> Windows
    {
        get
        {
            lock (_gate)
            {
                return _windows.ToHashSet();
            }
        }
    }

    public IReadOnlySet<string> Alerts
    {
        get
        {
            lock (_gate)
            {
                return _alerts.ToHashSet(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Completes once the first connection watches everything; runs on until <paramref name="stop"/>.</summary>
    public async Task<Task> StartAsync(CancellationToken stop)
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = RunAsync(first, stop);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(60), stop);
        return loop;
    }

    private Task RunAsync(TaskCompletionSource first, CancellationToken stop) => Reconnecting.RunAsync(
        Connect,
        async (connection, token) =>
        {
            await connection.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll), token);
            Interlocked.Increment(ref _connects);
            first.TrySetResult();
        },
        _ => { },
        stop);

    private HubConnection Connect()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(proxy, HubPaths.Monitor), o =>
            {
                o.Cookies = cookies;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                TestTls.Apply(o);
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();
        connection.On<WindowStatesChanged>(nameof(IMonitorClient.WindowStatesChanged), batch =>
        {
            lock (_gate)
            {
                foreach (var w in batch.Windows)
                {
                    _windows.Add((w.SiteId, w.Since.UtcTicks));
                }
            }
        });
        connection.On<AlertRaised>(nameof(IMonitorClient.AlertRaised), raised =>
        {
            lock (_gate)
            {
                _alerts.Add(raised.Alert.AlertId);
            }
        });
        // Like a browser, a screen takes every message it is sent; one without a handler would cost a binding exception each.
        connection.On<SiteStatusesChanged>(nameof(IMonitorClient.SiteStatusesChanged), _ => { });
        connection.On<SnapshotUpdated>(nameof(IMonitorClient.SnapshotUpdated), _ => { });
        connection.On<AlertChanged>(nameof(IMonitorClient.AlertChanged), _ => { });
        return connection;
    }
}
