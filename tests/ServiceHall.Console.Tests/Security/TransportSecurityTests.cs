using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using ServiceHall.Console;
using ServiceHall.Console.Transport;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>Finding 1 of the security review: no TLS. Each test performs the attack and sees it fail.</summary>
public sealed class TransportSecurityTests
{
    [Fact]
    public async Task SignIn_OverHttps_SetsASecureHttpOnlyCookieAndHsts()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();

        var login = await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = ConsoleServer.AdminPassword });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("https", server.BaseAddress.Scheme);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("servicehall=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=31536000", Assert.Single(login.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://192.0.2.10:5080")]
    public void PlainHttpBeyondLoopback_WithoutAKnownProxy_RefusesToStartAndSaysHow(string url)
    {
        using var data = new TempDirectory();

        var ex = Assert.Throws<OptionsValidationException>(() => ConsoleApp.Build([$"--Urls={url}", $"--Storage:DataDirectory={data.Path}"]));

        var failure = Assert.Single(ex.Failures);
        Assert.Contains(url, failure, StringComparison.Ordinal);
        Assert.Contains("Network:KnownProxies", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("https://0.0.0.0:5443", false)]
    [InlineData("http://0.0.0.0:5080", true)]
    public void PlainHttpExposures_FlagOnlyPlainHttpBeyondLoopback(string url, bool exposed) =>
        Assert.Equal(exposed, TransportSecurity.PlainHttpExposures([url], behindKnownProxies: false).Any());

    [Fact]
    public async Task BehindAKnownProxy_PlainRequestsThatDidNotComeThroughTls_AreRefused()
    {
        // The proxy is 127.0.0.1; a request it forwards without X-Forwarded-Proto: https came to it in clear.
        var port = Loopback.FreePort();
        using var data = new TempDirectory();
        await using var app = ConsoleApp.Build([$"--Urls=http://127.0.0.1:{port}", $"--Storage:DataDirectory={data.Path}", "--Network:KnownProxies:0=127.0.0.1", $"--Auth:InitialAdminPassword={ConsoleServer.AdminPassword}"]);
        await app.StartAsync();
        using var proxy = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var clear = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        clear.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using var secured = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        secured.Headers.Add("X-Forwarded-For", "198.51.100.7");
        secured.Headers.Add("X-Forwarded-Proto", "https");

        var refused = await proxy.SendAsync(clear);
        var served = await proxy.SendAsync(secured);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("HTTPS required", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, served.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public void KnownProxies_ThatAreNotAddresses_StopTheStartNamingTheKey()
    {
        using var data = new TempDirectory();

        var ex = Assert.Throws<OptionsValidationException>(() => ConsoleApp.Build(["--Urls=https://127.0.0.1:0", $"--Storage:DataDirectory={data.Path}", "--Network:KnownProxies:0=proxy.example"]));

        Assert.Contains(ex.Failures, f => f.StartsWith("Network:KnownProxies 'proxy.example'", StringComparison.Ordinal));
    }
}
