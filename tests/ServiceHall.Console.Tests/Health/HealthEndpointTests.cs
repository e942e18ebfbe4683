using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Health;

/// <summary>/health (liveness) and /health/ready (the store and the webhook backlog) on real Kestrel, without sign-in.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_ReportsTheStoreAndTheWebhook_AsJson()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();

        var (status, body) = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var store = Check(body, "store:litedb");
        Assert.Equal("healthy", store.GetProperty("status").GetString());
        Assert.True(store.GetProperty("data").GetProperty("writable").GetBoolean());
        Assert.True(store.GetProperty("data").GetProperty("freeBytes").GetInt64() > 0);
        Assert.Equal(0, Check(body, "webhook").GetProperty("data").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task LowDisk_AndAWebhookBacklog_AreDegraded_StillServed()
    {
        // The receiver is a closed loopback port: posts stay queued.
        await using var server = await ConsoleServer.StartAsync("--Health:MinFreeDiskBytes=9223372036854775807", "--Health:MaxWebhookBacklog=1", $"--Alerts:WebhookUrl=http://127.0.0.1:{Loopback.FreePort()}/hook");
        var alerts = server.App.Services.GetRequiredService<AlertEngine>();
        server.AddSite("hall-h");
        alerts.Raise(AlertTypes.EventsParked, "hall-h", "测试区", "", "one", DateTimeOffset.UtcNow);
        alerts.Raise(AlertTypes.EventsParked, "hall-h", "测试区", "other", "two", DateTimeOffset.UtcNow);
        using var client = server.AnonymousClient();

        var (status, body) = await GetAsync(client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Contains("below Health:MinFreeDiskBytes", Check(body, "store:litedb").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("degraded", Check(body, "webhook").GetProperty("status").GetString());
        Assert.True(Check(body, "webhook").GetProperty("data").GetProperty("pending").GetInt32() >= 2);
    }

    [Fact]
    public async Task ClosedStore_MakesReadiness503_WhileLivenessStillAnswers()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.AnonymousClient();
        server.App.Services.GetRequiredService<ConsoleDatabase>().Dispose();

        var (readyStatus, ready) = await GetAsync(client, "/health/ready");
        var (liveStatus, live) = await GetAsync(client, "/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("unhealthy", Check(ready, "store:litedb").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Equal(0, live.GetProperty("checks").GetArrayLength());
    }

    private static JsonElement Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
