using System.Net;
using Microsoft.AspNetCore.Http.Connections.Client;
using ServiceHall.Console.Transport;
using ServiceHall.Shared.Transport;

namespace ServiceHall.Testing;

/// <summary>
/// The test installation's CA and loopback server certificate, made by <c>./hall.sh setup</c>
/// (<c>tools/tls/make-certs.sh</c> into <c>.cache/tls</c>). Every test client trusts this CA only; none turns
/// certificate validation off.
/// </summary>
public static class TestTls
{
    public static string Folder { get; } = Path.Combine(RepoRoot.Path, ".cache", "tls");

    public static string CaPath => Existing("ca.crt");

    public static string CertificatePath => Existing("server.crt");

    public static string KeyPath => Existing("server.key");

    /// <summary>Trust in the test CA alone.</summary>
    public static TlsTrust Trust { get; } = TlsTrust.PinnedTo(CaPath);

    /// <summary>Console arguments for HTTPS on a free loopback port with the test certificate.</summary>
    public static string[] ConsoleArgs(string url = "https://127.0.0.1:0") =>
    [
        $"--Urls={url}",
        $"--Kestrel:Certificates:Default:Path={CertificatePath}",
        $"--Kestrel:Certificates:Default:KeyPath={KeyPath}",
    ];

    /// <summary>An HTTP client that trusts the test CA, with optional cookies, sending the Console's anti-forgery header.</summary>
    public static HttpClient Client(Uri baseAddress, CookieContainer? cookies = null, TimeSpan? timeout = null)
    {
        var handler = Trust.CreateHandler();
        if (cookies is not null)
        {
            handler.CookieContainer = cookies;
        }
        else
        {
            handler.UseCookies = false;
        }

        var client = new HttpClient(handler) { BaseAddress = baseAddress };
        // What the Console's pages send on every request; a state-changing request without it is refused as forged.
        client.DefaultRequestHeaders.Add(RequestForgery.HeaderName, "1");
        if (timeout is { } t)
        {
            client.Timeout = t;
        }

        return client;
    }

    /// <summary>Makes a SignalR client connection (long polling and WebSockets alike) trust the test CA.</summary>
    public static void Apply(HttpConnectionOptions options)
    {
        options.HttpMessageHandlerFactory = inner =>
        {
            if (inner is HttpClientHandler handler)
            {
                handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) => Trust.Validate(null, certificate, chain, errors);
            }

            return inner;
        };
        options.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = Trust.Validate;
    }

    private static string Existing(string name)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run ./hall.sh setup (it makes the test CA)");
    }
}
