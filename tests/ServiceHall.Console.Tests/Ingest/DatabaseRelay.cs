using System.Net;
using System.Net.Sockets;

namespace ServiceHall.Console.Tests.Ingest;

/// <summary>
/// A TCP relay on a free loopback port to the test PostgreSQL server, so a test can take the database away from a
/// running store (<see cref="Down"/>: the port closes, open connections drop) and bring it back on the same port.
/// </summary>
internal sealed class DatabaseRelay : IAsyncDisposable
{
    private readonly int _target;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    private DatabaseRelay(int port, int target)
    {
        Port = port;
        _target = target;
    }

    public int Port { get; }

    public static DatabaseRelay Start(int target)
    {
        var relay = new DatabaseRelay(ServiceHall.Testing.Loopback.FreePort(), target);
        relay.Up();
        return relay;
    }

    public void Up()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Closes the port and every connection through it: the database is unreachable until <see cref="Up"/>.</summary>
    public void Down()
    {
        _stop.Cancel();
        _listener?.Stop();
        lock (_gate)
        {
            foreach (var client in _open)
            {
                client.Client?.Close(0);
                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _target, stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (_gate)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The relay went down or a side closed: the other side is closed below.
        }

        from.Dispose();
        to.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Down();
        await _accepting;
        _stop.Dispose();
    }
}
