using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Metrics;

/// <summary>/metrics on real Kestrel: events sent through the real Recorder hub move the counters; strangers are refused.</summary>
public sealed class MetricsEndpointTests
{
    private const string Token = "scrape-token-0123456789abcdef0123456789";

    private static EventRecorded Entry(long sequence, string cameraId = "cam-1") =>
        new(Guid.NewGuid(), sequence, DateTimeOffset.UtcNow, new WindowVacated { CameraId = cameraId, WindowId = "w01", OccurredAt = DateTimeOffset.UtcNow }, null);

    [Fact]
    public async Task Scrape_AfterEventsThroughTheHub_CountsThemAndShowsFleetAlertsAndStore()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();
        var before = await ScrapeAsync(client);
        await using var recorder = await server.ReportingRecorderAsync("hall-m", server.AddSite("hall-m"), "cam-1", "cam-2");
        var batch = new EventBatchSent([Entry(1), Entry(2, cameraId: "../bad"), Entry(3)]);

        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([batch.Events[0]]));
        var after = await ScrapeUntilAsync(client, m => m.GetValueOrDefault("servicehall_alerts_open{type=\"EventsParked\",state=\"Open\"}") == 1, "the EventsParked alert");

        Assert.Equal(0, before["servicehall_events_received_total"]);
        Assert.Equal(4, after["servicehall_events_received_total"]);
        Assert.Equal(2, after["servicehall_events_stored_total"]);
        Assert.Equal(1, after["servicehall_events_rejected_total"]);
        Assert.Equal(1, after["servicehall_events_duplicates_total"]);
        Assert.Equal(2, after["servicehall_events_store_duration_seconds_count"]);
        Assert.True(after["servicehall_events_store_duration_seconds_sum"] > 0);
        Assert.Equal(1, after["servicehall_recorders_connected"]);
        Assert.Equal(1, after["servicehall_sites{state=\"online\"}"]);
        Assert.Equal(2, after["servicehall_cameras{state=\"online\"}"]);
        Assert.Equal(3, after["servicehall_site_stored_sequence{site=\"hall-m\"}"]);
        Assert.Equal(1, after["servicehall_store_up{store=\"litedb\"}"]);
        Assert.True(after["servicehall_store_free_bytes{store=\"litedb\"}"] > 0);
        Assert.Equal(0, after["servicehall_webhook_backlog"]);
    }

    [Fact]
    public async Task TwoConsolesInOneProcess_EachCountsOnlyItsOwnEvents()
    {
        await using var busy = await ConsoleServer.StartAsync();
        await using var idle = await ConsoleServer.StartAsync();
        await using var recorder = await busy.ReportingRecorderAsync("hall-b", busy.AddSite("hall-b"), "cam-1");

        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(1), Entry(2)]));
        using var busyClient = busy.AnonymousClient();
        using var idleClient = idle.AnonymousClient();

        Assert.Equal(2, (await ScrapeAsync(busyClient))["servicehall_events_stored_total"]);
        Assert.Equal(0, (await ScrapeAsync(idleClient))["servicehall_events_stored_total"]);
    }

    [Fact]
    public async Task ScrapeFromBeyondLoopback_IsRefused_UnlessItsAddressIsListedOrItCarriesTheToken()
    {
        // A TLS proxy on 127.0.0.1 relays clients: the Console then sees their addresses, as in production.
        await using var server = await ConsoleServer.StartAsync("--Network:KnownProxies:0=127.0.0.1", $"--Metrics:ScrapeToken={Token}", "--Metrics:AllowedAddresses:0=10.20.0.0/16");
        server.AddSite("secret-hall");
        using var client = server.AnonymousClient();

        var stranger = await client.SendAsync(Relayed("203.0.113.9"));
        var wrongToken = await client.SendAsync(Relayed("203.0.113.9", "wrong-token-0123456789abcdef0123456789"));
        var withToken = await client.SendAsync(Relayed("203.0.113.9", Token));
        var listed = await client.SendAsync(Relayed("10.20.3.4"));
        using var unlisted = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        unlisted.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var unlistedProxy = await StartWithoutProxyAsync(unlisted);

        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        Assert.Equal("Bearer", stranger.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("secret-hall", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains("secret-hall", await withToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unlistedProxy);
        Assert.True(server.Logs.Count("Metrics scrape from 203.0.113.9 refused") >= 2);
    }

    [Fact]
    public async Task ShortScrapeToken_OrABadAddress_StopsTheStartNamingTheKey()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ConsoleServer.StartAsync("--Metrics:ScrapeToken=short", "--Metrics:AllowedAddresses:0=prometheus.example"));

        Assert.Contains(ex.Failures, f => f.StartsWith("Metrics:ScrapeToken must be at least 32 characters", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Metrics:AllowedAddresses 'prometheus.example'", StringComparison.Ordinal));
    }

    /// <summary>No proxy listed and no token: a loopback request that carries a forwarded header came through an unlisted proxy.</summary>
    private static async Task<HttpStatusCode> StartWithoutProxyAsync(HttpRequestMessage request)
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();
        return (await client.SendAsync(request)).StatusCode;
    }

    private static HttpRequestMessage Relayed(string from, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", from);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>The page's samples by series (<c>name{labels}</c>), comments skipped.</summary>
    public static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var page = await response.Content.ReadAsStringAsync();
        return page.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => (Series: line[..line.LastIndexOf(' ')], Value: double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(s => s.Series, s => s.Value, StringComparer.Ordinal);
    }

    private static async Task<Dictionary<string, double>> ScrapeUntilAsync(HttpClient client, Func<Dictionary<string, double>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var page = await ScrapeAsync(client);
            if (done(page))
            {
                return page;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
