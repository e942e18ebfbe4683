using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Bench.Failover;

/// <summary>
/// One hall's Recorder as the drill needs it, behaving on the wire as the real one (<c>Uplink/ConsoleLink.cs</c>,
/// <c>OutboxSender.cs</c>): one WebSocket with negotiation skipped; events numbered per site and kept until acknowledged,
/// sent oldest first in batches of at most 200, and sent again from the oldest unacknowledged after a failure or a
/// reconnect; reconnects forever with the real jittered backoff (0.5 to 1 s first, doubling to 30 s); heartbeats every 10 s.
/// </summary>
public sealed class SimulatedRecorder(string siteId, string key, Uri proxy, Stopwatch clock, FailureReasons failures) : IDisposable
{
    private const int BatchMaxEvents = 200;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<EventRecorded> _outbox = [];
    private readonly SemaphoreSlim _wake = new(0);
    private HubConnection? _connection;
    private long _sequence;
    private long _highestSent;
    private DateTimeOffset _lastOccurred;
    private int _resent;
    private int _duplicatesAcknowledged;
    private int _sendFailures;
    private int _connectFailures;
    private int _connects;
    private long _connectedAtTicks;

    public string SiteId => siteId;

    public bool Connected => Volatile.Read(ref _connection) is { State: HubConnectionState.Connected };

    /// <summary>When, on the drill's clock, the current or last connection was opened.</summary>
    public TimeSpan ConnectedAt => TimeSpan.FromTicks(Interlocked.Read(ref _connectedAtTicks));

    public int Connects => Volatile.Read(ref _connects);

    public int ConnectFailures => Volatile.Read(ref _connectFailures);

    public int SendFailures => Volatile.Read(ref _sendFailures);

    /// <summary>Events sent again after a failure or reconnect (at least once on the wire).</summary>
    public int Resent => Volatile.Read(ref _resent);

    /// <summary>Events the Console acknowledged as already stored.</summary>
    public int DuplicatesAcknowledged => Volatile.Read(ref _duplicatesAcknowledged);

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _outbox.Count;
            }
        }
    }

    /// <summary>The ids of the events still in the outbox (never acknowledged).</summary>
    public IReadOnlyList<Guid> PendingIds()
    {
        lock (_gate)
        {
            return [.. _outbox.Select(e => e.EventId)];
        }
    }

    /// <summary>The hall produces an event: numbered, put in the outbox, sent when the link allows.</summary>
    public SentEvent Produce(Func<DateTimeOffset, SiteEvent> make, bool raisesAlert)
    {
        SentEvent sent;
        lock (_gate)
        {
            // Strictly increasing per site: a screen's window state is keyed by it.
            var now = DateTimeOffset.UtcNow;
            _lastOccurred = now > _lastOccurred ? now : _lastOccurred.AddTicks(1);
            var entry = new EventRecorded(Guid.NewGuid(), ++_sequence, _lastOccurred, make(_lastOccurred), null);
            _outbox.Add(entry);
            sent = new SentEvent(siteId, entry.Sequence, entry.EventId, _lastOccurred.UtcTicks, raisesAlert);
        }

        _wake.Release();
        return sent;
    }

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(ConnectLoopAsync(stop), SendLoopAsync(stop), HeartbeatLoopAsync(stop));

    private Task ConnectLoopAsync(CancellationToken stop) => Reconnecting.RunAsync(
        Connect,
        (connection, token) =>
        {
            Interlocked.Exchange(ref _connectedAtTicks, clock.Elapsed.Ticks);
            Interlocked.Increment(ref _connects);
            Volatile.Write(ref _connection, connection);
            _wake.Release();
            // The first report at once, as the real Recorder sends one on every connect.
            _ = HeartbeatAsync(connection);
            return Task.CompletedTask;
        },
        ex =>
        {
            Interlocked.Increment(ref _connectFailures);
            failures.Note(ex);
        },
        stop);

    private async Task SendLoopAsync(CancellationToken stop)
    {
        var retry = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeProvider.System);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            while (Volatile.Read(ref _connection) is { State: HubConnectionState.Connected } connection && Peek() is { Count: > 0 } batch)
            {
                try
                {
                    var ack = await connection.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent(batch), stop);
                    Complete(ack.LastSequence);
                    Interlocked.Add(ref _duplicatesAcknowledged, ack.Duplicates);
                    retry.Reset();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The batch stays in the outbox and is sent again; the loop never dies.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _sendFailures);
                    failures.Note(ex);
                    if (!await retry.WaitAsync(stop))
                    {
                        return;
                    }
                }
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        // Each hall at its own phase, as halls started at different times.
        using var timer = new PeriodicTimer(HeartbeatInterval);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next((int)HeartbeatInterval.TotalMilliseconds)), stop);
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (Volatile.Read(ref _connection) is { State: HubConnectionState.Connected } connection)
                {
                    await HeartbeatAsync(connection);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The drill is over.
        }
    }

    private async Task HeartbeatAsync(HubConnection connection)
    {
        try
        {
            await connection.InvokeAsync<HeartbeatAcknowledged>(
                nameof(IRecorderHub.Heartbeat),
                new HeartbeatSent(siteId, "bench", DateTimeOffset.UtcNow, 500_000_000_000, [new CameraHealthReported("cam-1", "一号", true, DateTimeOffset.UtcNow, 1280, 720, null)]));
        }
#pragma warning disable CA1031 // A heartbeat lost with its connection is simply the next one's job.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private List<EventRecorded> Peek()
    {
        lock (_gate)
        {
            var batch = _outbox.Take(BatchMaxEvents).ToList();
            if (batch.Count > 0)
            {
                _resent += batch.Count(e => e.Sequence <= _highestSent);
                _highestSent = Math.Max(_highestSent, batch[^1].Sequence);
            }

            return batch;
        }
    }

    private void Complete(long lastSequence)
    {
        lock (_gate)
        {
            _outbox.RemoveAll(e => e.Sequence <= lastSequence);
        }
    }

    /// <summary>Once its loops have ended.</summary>
    public void Dispose() => _wake.Dispose();

    private HubConnection Connect()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(proxy, HubPaths.Recorder), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers[SiteKeyHeaders.SiteId] = siteId;
                o.Headers[SiteKeyHeaders.Key] = key;
                TestTls.Apply(o);
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(30);
        connection.KeepAliveInterval = TimeSpan.FromSeconds(10);
        return connection;
    }
}
