using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Transport;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 9 of the security review: a page of another site makes the supervisor's browser send cookie-bearing
/// requests (a form post to log out, re-key a site, end a patrol) and opens the monitor hub from its own origin. A real
/// Console on HTTPS refuses each (403), and the same requests from the Console's own pages still work.
/// </summary>
public sealed class RequestForgeryTests
{
    private const string Foreign = "https://evil.example";

    [Fact]
    public async Task CookiePosts_WithoutTheAntiForgeryHeader_Are403_WithItTheyWork()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = await server.ReportingRecorderAsync("hall-a", server.AddSite("hall-a", "甲", "d1"), "cam-1");
        using var admin = await server.SignedInClientAsync();
        var started = await admin.Http.PostAsJsonAsync("/api/patrols", new { district = "d1", intervalSeconds = 10 });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var patrolId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("patrolId").GetString()!;

        // What a cross-site form sends: the cookie, no custom header.
        var forgedRekey = await Forged(admin, HttpMethod.Post, "/api/admin/sites/hall-a/keys?revokeOthers=true");
        var forgedEnd = await Forged(admin, HttpMethod.Post, $"/api/patrols/{patrolId}/end");
        var forgedLogout = await Forged(admin, HttpMethod.Post, "/api/auth/logout");
        var stillSignedIn = await admin.Http.GetAsync("/api/auth/me");
        var forgedProblem = await forgedEnd.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, forgedRekey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forgedEnd.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forgedLogout.StatusCode);
        Assert.Contains(RequestForgery.HeaderName, forgedProblem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        Assert.True(server.Logs.Count("as a possible cross-site request") >= 3);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PostAsync("/api/admin/sites/hall-a/keys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PostAsync($"/api/patrols/{patrolId}/end", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task CookiePost_FromAForeignOrigin_Is403_EvenWithTheHeader_OwnOriginWorks()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-a", "甲", "d1");
        using var admin = await server.SignedInClientAsync();

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/admin/sites/hall-a/keys");
        foreign.Headers.Add("Origin", Foreign);
        using var own = new HttpRequestMessage(HttpMethod.Post, "/api/admin/sites/hall-a/keys");
        own.Headers.Add("Origin", OwnOrigin(server));

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Http.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task HallKeyRequests_NeedNoAntiForgeryHeader()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        await using var hub = await server.ReportingRecorderAsync("hall-a", key, "cam-1");
        using var recorder = server.AnonymousClient();
        recorder.DefaultRequestHeaders.Remove(RequestForgery.HeaderName);
        recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, "hall-a");
        recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);

        using var segment = new ByteArrayContent([1, 2, 3]);
        var put = await recorder.PutAsync($"{LiveUploads.Segment("cam-1", "1_0.ts")}?duration=2", segment);

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    [Fact]
    public async Task MonitorHub_FromAForeignOrigin_IsRefusedOnNegotiateAndWebSocket_OwnOriginConnects()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"{HubPaths.Monitor}/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", Foreign);
        var refusedNegotiate = await admin.Http.SendAsync(negotiate);
        await using var foreignSocket = Monitor(server, admin, Foreign, skipNegotiation: true);
        var refusedSocket = await Record.ExceptionAsync(() => foreignSocket.StartAsync());
        await using var foreignHub = Monitor(server, admin, Foreign, skipNegotiation: false);
        var refusedHub = await Record.ExceptionAsync(() => foreignHub.StartAsync());
        await using var ownHub = Monitor(server, admin, OwnOrigin(server), skipNegotiation: false);
        await ownHub.StartAsync();
        await using var ownSocket = Monitor(server, admin, OwnOrigin(server), skipNegotiation: true);
        await ownSocket.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, refusedNegotiate.StatusCode);
        Assert.NotNull(refusedSocket);
        Assert.NotNull(refusedHub);
        Assert.Equal(HubConnectionState.Connected, ownHub.State);
        Assert.Equal(HubConnectionState.Connected, ownSocket.State);
        Assert.NotNull(await ownSocket.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll)));
    }

    [Fact]
    public async Task RecorderHub_FromAForeignOrigin_IsRefused_RecorderWithoutOriginConnects()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"{HubPaths.Recorder}/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", Foreign);
        negotiate.Headers.Add(SiteKeyHeaders.SiteId, "hall-a");
        negotiate.Headers.Add(SiteKeyHeaders.Key, key);
        using var client = server.AnonymousClient();
        var refused = await client.SendAsync(negotiate);
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HubConnectionState.Connected, recorder.State);
    }

    [Fact]
    public async Task ConfiguredOrigin_IsAllowed_ABadOneStopsTheStart()
    {
        await using var server = await ConsoleServer.StartAsync("--Network:AllowedOrigins:0=https://console.hall.gov.cn");
        server.AddSite("hall-a", "甲", "d1");
        using var admin = await server.SignedInClientAsync();
        using var listed = new HttpRequestMessage(HttpMethod.Post, "/api/admin/sites/hall-a/keys");
        listed.Headers.Add("Origin", "https://console.hall.gov.cn");

        var accepted = await admin.Http.SendAsync(listed);
        var bad = await Record.ExceptionAsync(() => ConsoleServer.StartAsync("--Network:AllowedOrigins:0=https://console.hall.gov.cn/path"));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("Network:AllowedOrigins", bad?.ToString() ?? "", StringComparison.Ordinal);
    }

    private static string OwnOrigin(ConsoleServer server) => server.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The request a cross-site form makes: the same cookies, no anti-forgery header.</summary>
    private static async Task<HttpResponseMessage> Forged(SignedInClient signedIn, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var form = TestTls.Client(signedIn.Http.BaseAddress!, signedIn.Cookies);
        form.DefaultRequestHeaders.Remove(RequestForgery.HeaderName);
        return await form.SendAsync(request);
    }

    private static HubConnection Monitor(ConsoleServer server, SignedInClient signedIn, string origin, bool skipNegotiation) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, HubPaths.Monitor), o =>
            {
                o.Cookies = signedIn.Cookies;
                o.Headers["Origin"] = origin;
                o.SkipNegotiation = skipNegotiation;
                o.Transports = HttpTransportType.WebSockets;
                TestTls.Apply(o);
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();
}
