using System.Net;
using System.Net.Sockets;

namespace ServiceHall.Testing;

/// <summary>Loopback ports for test servers.</summary>
public static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
