using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Alerts;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>
/// Two real Console nodes sharing a real Redis (the SignalR backplane): a supervisor signed in on one node sees what a
/// Recorder connected to the other caused. Each node keeps its own LiteDB file here; the stores shared through
/// PostgreSQL have their own tests.
/// </summary>
public sealed class RedisBackplaneTests(ITestOutputHelper output)
{
    private static long _sequence;

    private static EventBatchSent Unstaffed(string window) =>
        new([new EventRecorded(Guid.NewGuid(), Interlocked.Increment(ref _sequence), DateTimeOffset.UtcNow,
            new WindowUnstaffed { CameraId = "cam-1", WindowId = window, OccurredAt = DateTimeOffset.UtcNow, AwaySince = DateTimeOffset.UtcNow.AddMinutes(-5) }, null)]);

    [Fact]
    public async Task RecorderOnNodeTwo_AlertReachesTheSupervisorOnNodeOne()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var pair = await NodePair.StartAsync(redis);
        var (node2, recorder, raised) = (pair.Node2, pair.Recorder, pair.Raised);

        var clock = Stopwatch.StartNew();
        await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Unstaffed("w01"));
        var alert = await Eventually.Until(() => raised.FirstOrDefault(), TimeSpan.FromSeconds(10), "AlertRaised on node 1");
        output.WriteLine($"unstaffed event to node 2 -> AlertRaised on node 1's supervisor: {clock.Elapsed.TotalMilliseconds:0} ms");

        Assert.Equal((AlertTypes.WindowUnstaffed, "hall-a", "w01"), (alert.Type, alert.SiteId, alert.Subject));
    }

    [Fact]
    public async Task RedisDown_EachNodeServesItsOwn_ReadinessDegradedSaysWhy_AndPushesBetweenNodesResumeWhenItReturns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var pair = await NodePair.StartAsync(redis);
        using var health = pair.Node2.AnonymousClient();
        using var admin2 = await pair.Node2.SignedInClientAsync();
        var onNode2 = new ConcurrentQueue<AlertView>();
        await using var monitor2 = pair.Node2.MonitorConnection(admin2);
        monitor2.On<AlertRaised>(nameof(IMonitorClient.AlertRaised), a => onNode2.Enqueue(a.Alert));
        await monitor2.StartAsync();
        await monitor2.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        var (upStatus, up) = await ReadyAsync(health);

        await redis.StopAsync();
        var (downStatus, down) = await ReadyWhenAsync(health, "degraded");
        // A Recorder connecting during the outage is admitted and its events stored and pushed on its own node.
        await using var duringOutage = pair.Node2.RecorderConnection("hall-a", pair.Key);
        await duringOutage.StartAsync();
        var stored = await duringOutage.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Unstaffed("w01"));
        await Eventually.True(() => onNode2.Any(a => a.Subject == "w01"), TimeSpan.FromSeconds(10), "w01 pushed on node 2 during the outage");

        await redis.StartAgainAsync();
        await ReadyWhenAsync(health, "healthy");
        // Connections that joined during the outage are closed once Redis is back; a Recorder connects again, as the
        // real one does, and its next alerts reach node 1 again.
        await using var recorder = pair.Node2.RecorderConnection("hall-a", pair.Key);
        await recorder.StartAsync();
        var resumed = await PushedAgainAsync(recorder, pair.Raised);

        Assert.Equal((HttpStatusCode.OK, "healthy"), (upStatus, RedisStatus(up)));
        Assert.Equal(HttpStatusCode.OK, downStatus);
        Assert.Contains("pushes between Console nodes have stopped", Check(down, "store:redis").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", Check(down, "store:litedb").GetProperty("status").GetString());
        Assert.Equal(1, stored.Stored);
        Assert.DoesNotContain(pair.Raised, a => a.Subject == "w01");
        Assert.True(resumed, "no alert reached node 1 within 30 s of Redis returning");
    }

    private static async Task<bool> PushedAgainAsync(HubConnection recorder, ConcurrentQueue<AlertView> raised)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 2; clock.Elapsed < TimeSpan.FromSeconds(30); n++)
        {
            await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Unstaffed($"w{n:00}"));
            for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(1);)
            {
                if (!raised.IsEmpty)
                {
                    return true;
                }

                await Task.Delay(50);
            }
        }

        return false;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyWhenAsync(HttpClient client, string redisStatus)
    {
        for (var clock = Stopwatch.StartNew(); ; await Task.Delay(200))
        {
            var ready = await ReadyAsync(client);
            if (RedisStatus(ready.Body) == redisStatus || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return ready;
            }
        }
    }

    /// <summary>Two nodes on one Redis: a supervisor watching every site on node 1, hall-a's Recorder connected to node 2.</summary>
    private sealed class NodePair : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _owned = [];

        public required ConsoleServer Node2 { get; init; }

        public required HubConnection Recorder { get; init; }

        public required string Key { get; init; }

        public ConcurrentQueue<AlertView> Raised { get; } = new();

        public static async Task<NodePair> StartAsync(RedisServer redis)
        {
            var node1 = await ConsoleServer.StartAsync($"--Cluster:Redis={redis.Configuration}");
            var node2 = await ConsoleServer.StartAsync($"--Cluster:Redis={redis.Configuration}");
            var key = node2.AddSite("hall-a", "甲", "d1");
            using var admin = await node1.SignedInClientAsync();
            var monitor = node1.MonitorConnection(admin);
            var recorder = node2.RecorderConnection("hall-a", key);
            var pair = new NodePair { Node2 = node2, Recorder = recorder, Key = key };
            pair._owned.AddRange([recorder, monitor, node2, node1]);
            monitor.On<AlertRaised>(nameof(IMonitorClient.AlertRaised), a => pair.Raised.Enqueue(a.Alert));
            await monitor.StartAsync();
            await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
            await recorder.StartAsync();
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var owned in _owned)
            {
                await owned.DisposeAsync();
            }
        }
    }

    private static string? RedisStatus(JsonElement body) => Check(body, "store:redis").GetProperty("status").GetString();

    private static JsonElement Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
