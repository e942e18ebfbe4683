using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Metrics;

/// <summary>Decides whether a request may read <c>/metrics</c>; see <see cref="MetricsOptions"/>.</summary>
public sealed class ScrapeAccess(IOptions<MetricsOptions> options)
{
    private readonly byte[]? _token = options.Value.ScrapeToken is { } token ? Encoding.UTF8.GetBytes(token) : null;
    private readonly IReadOnlyList<IPNetwork> _allowed = options.Value.AllowedNetworks();

    public bool Allows(HttpContext http)
    {
        if (_token is not null && http.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), _token))
        {
            return true;
        }

        if (http.Connection.RemoteIpAddress is not { } remote)
        {
            return false;
        }

        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        // A forwarded header left on a loopback request means a proxy that is not in Network:KnownProxies relayed it
        // from somewhere else: loopback then says nothing about the client.
        if (IPAddress.IsLoopback(remote))
        {
            return !http.Request.Headers.ContainsKey("X-Forwarded-For");
        }

        return _allowed.Any(n => n.Contains(remote));
    }

    public bool HasToken => _token is not null;
}
