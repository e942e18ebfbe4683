using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;
using Xunit.Abstractions;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>
/// Two real Console nodes on one real PostgreSQL and Redis behind real HAProxy running the shipped configuration
/// (deploy/haproxy/servicehall.cfg). The node a Recorder is on goes away; the Recorder reconnects through the proxy
/// to the other node and resends what was not acknowledged, as the real one does. The node is stopped inside the test
/// process (its connections are closed), not killed: the process-level drill is issue 16's failover benchmark.
/// </summary>
public sealed class ProxyFailoverTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    private static EventBatchSent Batch(long from, long to) =>
        new([.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(s =>
            new EventRecorded(EventIds[s], s, At, new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At.AddSeconds(s) }, null))]);

    // The same event id for a sequence in every batch: a resent event is the same event.
    private static readonly Guid[] EventIds = [.. Enumerable.Range(0, 201).Select(_ => Guid.NewGuid())];

    [Fact]
    public async Task TheRecordersNodeGoesAway_ItReconnectsThroughTheProxyToTheOther_NothingLostOrStoredTwice()
    {
        await using var stores = await SharedStores.StartAsync();
        var node1 = await stores.StartNodeAsync();
        var node2 = await stores.StartNodeAsync();
        await using var proxy = await HaproxyServer.StartAsync(node1.BaseAddress, node2.BaseAddress);
        var key = node1.AddSite("hall-a", "甲", "d1");

        await using var first = Recorder(proxy, key);
        await first.StartAsync();
        await HeartbeatAsync(first);
        var before = await first.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(1, 50));
        var serving = Serves(node1) ? node1 : node2;
        var survivor = serving == node1 ? node2 : node1;

        var clock = Stopwatch.StartNew();
        await serving.StopAsync();
        await Eventually.True(() => first.State == HubConnectionState.Disconnected, TimeSpan.FromSeconds(30), "the Recorder to see its node go");
        var lost = clock.Elapsed;
        await using var second = await ReconnectAsync(proxy, key);
        var reconnected = clock.Elapsed;
        // Events 41-50 were in flight when the node went: the Recorder sends them again with the next ones.
        await HeartbeatAsync(second);
        var resent = await second.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), Batch(41, 100));
        foreach (var line in proxy.Log)
        {
            output.WriteLine($"haproxy: {line}");
        }

        output.WriteLine($"node stopped -> Recorder disconnected after {lost.TotalMilliseconds:0} ms, connected again through the proxy after {reconnected.TotalMilliseconds:0} ms");

        Assert.Equal((50, 0), (before.Stored, before.Duplicates));
        Assert.Equal((50, 10), (resent.Stored, resent.Duplicates));
        Assert.True(Serves(survivor), "the Recorder is connected to the surviving node");
        Assert.True(Online(survivor), "the surviving node shows the site online");
        var stored = survivor.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a");
        Assert.Equal(Enumerable.Range(1, 100).Select(s => (long)s), stored.Select(e => e.Sequence).Order());
        Assert.True(reconnected < TimeSpan.FromSeconds(30), $"reconnected after {reconnected}");
    }

    // A heartbeat makes the site online on every node.
    private static Task<HeartbeatAcknowledged> HeartbeatAsync(HubConnection recorder) =>
        recorder.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("hall-a", "test", DateTimeOffset.UtcNow, 500L << 30, []));

    // Every node shows the site online (they share live state): the one serving it logged its connection.
    private static bool Serves(ConsoleServer node) => node.Logs.Count("Recorder of site hall-a connected") > 0;

    private static bool Online(ConsoleServer node) => node.App.Services.GetRequiredService<FleetState>().Find("hall-a")?.Online == true;

    /// <summary>A Recorder's connection as the real one opens it: WebSockets, negotiation skipped, through the proxy.</summary>
    private static HubConnection Recorder(HaproxyServer proxy, string key) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(proxy.BaseAddress, HubPaths.Recorder), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers[SiteKeyHeaders.SiteId] = "hall-a";
                o.Headers[SiteKeyHeaders.Key] = key;
                TestTls.Apply(o);
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();

    private static async Task<HubConnection> ReconnectAsync(HaproxyServer proxy, string key)
    {
        for (var clock = Stopwatch.StartNew(); ; await Task.Delay(250))
        {
            var connection = Recorder(proxy, key);
            try
            {
                await connection.StartAsync();
                return connection;
            }
            catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or IOException && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await connection.DisposeAsync();
            }
        }
    }
}
