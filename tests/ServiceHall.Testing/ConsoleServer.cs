using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Console;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Testing;

/// <summary>A real Console on real Kestrel on a free loopback port, with its LiteDB file in a temp folder.</summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    public const string AdminPassword = "Test-admin-password-1";

    private readonly TempDirectory _data;

    private ConsoleServer(WebApplication app, Uri baseAddress, TempDirectory data)
    {
        App = app;
        BaseAddress = baseAddress;
        _data = data;
    }

    public WebApplication App { get; }

    public LogCollector Logs { get; private init; } = new();

    public Uri BaseAddress { get; }

    public string DataDirectory => _data.Path;

    /// <summary>An HTTP client to this Console that trusts the test CA and carries no cookie.</summary>
    public HttpClient AnonymousClient() => TestTls.Client(BaseAddress);

    public static async Task<ConsoleServer> StartAsync(params string[] extraArgs)
    {
        var data = new TempDirectory();
        string[] args =
        [
            .. TestTls.ConsoleArgs(),
            $"--Storage:DataDirectory={data.Path}",
            $"--Auth:InitialAdminPassword={AdminPassword}",
            .. extraArgs,
        ];
        var logs = new LogCollector();
        var app = ConsoleApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            // Kestrel's certificate file watcher can deadlock with its own reload when a change event fires while
            // a server binds (seen once in a full run: CertificatePathWatcher.OnChange against AddWatchUnsynchronized).
            // Tests start hundreds of servers and never rotate the certificate, so they load it once, unwatched.
            builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ConsoleServer(app, new Uri(address), data) { Logs = logs };
    }

    /// <summary>Registers a site and returns its freshly issued key.</summary>
    public string AddSite(string siteId, string name = "测试大厅", string district = "测试区")
    {
        var sites = App.Services.GetRequiredService<ISiteStore>();
        sites.Upsert(siteId, name, district);
        return sites.IssueKey(siteId, revokeOthers: false);
    }

    /// <summary>An HTTP client signed in as the admin, with the forced password change done.</summary>
    public Task<SignedInClient> SignedInClientAsync() => SignedInClientAsync("admin", AdminPassword);

    /// <summary>Creates a user of <paramref name="role"/> who may see <paramref name="districts"/>, and signs it in.</summary>
    public Task<SignedInClient> SignedInUserAsync(string userId, string role, params string[] districts)
    {
        App.Services.GetRequiredService<IUserStore>().Create(userId, userId, role, AdminPassword, mustChangePassword: true, districts);
        return SignedInClientAsync(userId, AdminPassword);
    }

    /// <summary>An HTTP client signed in as <paramref name="user"/>, changing the password first if the Console asks (to <paramref name="password"/> + "-changed").</summary>
    public async Task<SignedInClient> SignedInClientAsync(string user, string password)
    {
        var cookies = new CookieContainer();
        var client = TestTls.Client(BaseAddress, cookies);
        var login = await client.PostAsJsonAsync("/api/auth/login", new { user, password });
        login.EnsureSuccessStatusCode();
        var me = await login.Content.ReadFromJsonAsync<MeResponse>();
        if (me!.MustChangePassword)
        {
            var change = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = password + "-changed" });
            change.EnsureSuccessStatusCode();
            var again = await client.PostAsJsonAsync("/api/auth/login", new { user, password = password + "-changed" });
            again.EnsureSuccessStatusCode();
        }

        return new SignedInClient(client, cookies);
    }

    /// <summary>A monitor hub connection using the signed-in client's cookie.</summary>
    public HubConnection MonitorConnection(SignedInClient signedIn) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, HubPaths.Monitor), o =>
            {
                o.Cookies = signedIn.Cookies;
                TestTls.Apply(o);
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();

    /// <summary>A Recorder-side hub connection presenting the given site and key.</summary>
    public HubConnection RecorderConnection(string siteId, string key) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, HubPaths.Recorder), o =>
            {
                o.Headers[SiteKeyHeaders.SiteId] = siteId;
                o.Headers[SiteKeyHeaders.Key] = key;
                TestTls.Apply(o);
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();

    /// <summary>A started Recorder connection whose heartbeat reported <paramref name="cameras"/>: only those may send snapshots and live video.</summary>
    public async Task<HubConnection> ReportingRecorderAsync(string siteId, string key, params string[] cameras)
    {
        var recorder = RecorderConnection(siteId, key);
        await recorder.StartAsync();
        var now = DateTimeOffset.UtcNow;
        await recorder.InvokeAsync<HeartbeatAcknowledged>(
            nameof(IRecorderHub.Heartbeat),
            new HeartbeatSent(siteId, "test", now, 500L << 30, [.. cameras.Select(c => new CameraHealthReported(c, c, true, now, 320, 240, null))]));
        return recorder;
    }

    private bool _stopped;

    /// <summary>Stops the Console and closes its database, keeping its data folder (for a command that needs the file to itself).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _data.Dispose();
    }

    private sealed record MeResponse(string User, bool MustChangePassword);
}

/// <summary>An HTTP client with a sign-in cookie, and the cookies for hub connections.</summary>
public sealed record SignedInClient(HttpClient Http, CookieContainer Cookies) : IDisposable
{
    public void Dispose() => Http.Dispose();
}
