using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Transport;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>Finding 11 of the security review (its sign-in and browser parts), each attack tried against a real Console on HTTPS.</summary>
public sealed class HardeningTests
{
    private static readonly string[] District1 = ["d1"];

    [Fact]
    public async Task PendingPasswordChange_BlocksSupervisorRoutes_ThatUsedInlineRolePolicies_UntilChanged()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.App.Services.GetRequiredService<IUserStore>().Create("qian", "qian", Roles.Supervisor, "initial-password-1", mustChangePassword: true, District1);
        using var client = TestTls.Client(server.BaseAddress, new CookieContainer());
        (await client.PostAsJsonAsync("/api/auth/login", new { user = "qian", password = "initial-password-1" })).EnsureSuccessStatusCode();

        var cases = await client.GetAsync("/api/cases");
        var clip = await client.PostAsJsonAsync("/api/sites/hall-a/clips", new { cameraId = "c1", from = DateTimeOffset.UtcNow.AddMinutes(-2), to = DateTimeOffset.UtcNow.AddMinutes(-1), reason = "x" });
        (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "initial-password-1", newPassword = "changed-password-2" })).EnsureSuccessStatusCode();
        var casesAfter = await client.GetAsync("/api/cases");

        Assert.Equal(HttpStatusCode.Forbidden, cases.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, clip.StatusCode);
        Assert.Equal(HttpStatusCode.OK, casesAfter.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"user\":\"admin\"}")]
    [InlineData("{\"password\":\"x\"}")]
    public async Task LoginBody_MissingAField_Answers400_NotAServerError(string body)
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();

        var missing = await client.PostAsync("/api/auth/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var complete = await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = ConsoleServer.AdminPassword });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/login.html")]
    [InlineData("/api/auth/me")]
    [InlineData("/health")]
    public async Task EveryResponse_CarriesCspNosniffNoFramingAndNoReferrer(string path)
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();

        var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task ForeignHostHeader_IsRefused_LoopbackHostIsServed()
    {
        // Plain HTTP on loopback: over TLS the client would send the forged host as SNI and refuse the certificate first.
        var port = Loopback.FreePort();
        using var data = new TempDirectory();
        await using var app = ConsoleApp.Build([$"--Urls=http://127.0.0.1:{port}", $"--Storage:DataDirectory={data.Path}", $"--Auth:InitialAdminPassword={ConsoleServer.AdminPassword}"]);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var forged = new HttpRequestMessage(HttpMethod.Get, "/health");
        forged.Headers.Host = "evil.example";

        var refused = await client.SendAsync(forged);
        var served = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task GeneratedInitialPasswordFile_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var server = await ConsoleServer.StartAsync("--Auth:InitialAdminPassword=");
        var file = Path.Combine(server.DataDirectory, UserStore.InitialPasswordFile);

        var password = (await File.ReadAllTextAsync(file)).Trim();
        using var client = server.AnonymousClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
