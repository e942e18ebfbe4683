using System.Net;
using System.Net.Http.Json;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Auth;

/// <summary>Sign-in against a real Console on real Kestrel.</summary>
public sealed class SignInTests
{
    [Fact]
    public async Task Api_WithoutSignIn_Is401()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/sites")).StatusCode);
    }

    [Fact]
    public async Task Login_WrongPassword_Is401AndLogged()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();

        var response = await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = "wrong-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, server.Logs.Count("Sign-in failed for 'admin'"));
    }

    [Fact]
    public async Task FirstAdmin_MustChangePassword_BeforeUsingTheApi()
    {
        await using var server = await ConsoleServer.StartAsync();
        var cookies = new CookieContainer();
        using var client = TestTls.Client(server.BaseAddress, cookies);

        var login = await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = ConsoleServer.AdminPassword });
        login.EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/sites")).StatusCode);

        var weak = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = ConsoleServer.AdminPassword, newPassword = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);

        var change = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = ConsoleServer.AdminPassword, newPassword = "A-much-better-one-2" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sites")).StatusCode);
    }

    [Fact]
    public async Task Login_TooManyAttempts_Is429()
    {
        await using var server = await ConsoleServer.StartAsync("--Auth:LoginAttemptsPerMinute=3");
        using var client = server.AnonymousClient();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = "guess" + i })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task FirstRun_WithoutConfiguredPassword_WritesAGeneratedOneOnlyTheOwnerCanRead()
    {
        using var data = new TempDirectory();
        var app = ServiceHall.Console.ConsoleApp.Build(["--Urls=http://127.0.0.1:0", $"--Storage:DataDirectory={data.Path}"]);
        await app.DisposeAsync();

        var file = data.Combine("initial-admin-password.txt");
        Assert.True(File.Exists(file));
        Assert.True(File.ReadAllText(file).Trim().Length >= 8);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }
}
