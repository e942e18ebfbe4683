using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Transport;
using ServiceHall.Testing;

// Load benchmark of the Console: N simulated Recorders, each with its own real SignalR connection over
// loopback, heartbeating; then a burst of occupancy events; monitors measure send-to-screen latency.
// Bounded in count and time; stops by itself. Last line: recorders=<n> events_per_s=<x> p99_ms=<y>.
var recorders = Arg("--recorders", 5500);
var monitors = Arg("--monitors", 20);
var burstEvents = Arg("--events", 20_000);
var heartbeatSeconds = Arg("--heartbeat-seconds", 10);
var warmSeconds = Arg("--warm-seconds", 20);
// HTTPS as in production, with the installation CA that ./hall.sh setup makes (tools/tls/make-certs.sh).
var tlsIndex = Array.IndexOf(args, "--tls");
var tlsFolder = tlsIndex >= 0 && tlsIndex + 1 < args.Length ? args[tlsIndex + 1] : throw new ArgumentException("--tls FOLDER (ca.crt, server.crt, server.key) is required");
var trust = TlsTrust.PinnedTo(Path.Combine(tlsFolder, "ca.crt"));
ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 16), 64);

var data = Path.Combine(Path.GetTempPath(), $"servicehall-bench-{Environment.ProcessId}");
const string password = "Bench-admin-password-1";
// --provider postgres: the same run on a real PostgreSQL this process starts (as the tests do: a temp folder, a free
// loopback port, fsync off), instead of the embedded LiteDB file.
var providerIndex = Array.IndexOf(args, "--provider");
var provider = providerIndex >= 0 && providerIndex + 1 < args.Length ? args[providerIndex + 1] : "litedb";
var postgres = provider switch
{
    "litedb" => null,
    "postgres" => await PostgresServer.SharedAsync(),
    _ => throw new ArgumentException($"--provider must be litedb or postgres, got '{provider}'"),
};
var database = postgres is null ? null : await postgres.CreateDatabaseAsync();
string[] storeArgs = database is null ? [] : TestKeyRing.PostgresConsoleArgs(database);
var app = ConsoleApp.Build(
[
    .. storeArgs,
    "--Urls=https://127.0.0.1:0",
    $"--Kestrel:Certificates:Default:Path={Path.Combine(tlsFolder, "server.crt")}",
    $"--Kestrel:Certificates:Default:KeyPath={Path.Combine(tlsFolder, "server.key")}",
    $"--Storage:DataDirectory={data}",
    $"--Auth:InitialAdminPassword={password}",
    "--Logging:LogLevel:Default=Warning",
    "--Logging:LogLevel:ServiceHall.Console.Hubs.RecorderHub=Warning",
    "--Logging:LogLevel:ServiceHall.Console.Fleet.OfflineSweeper=Error",
], builder => builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxConcurrentConnections = null;
    k.Limits.MaxConcurrentUpgradedConnections = null;
}));
var total = Stopwatch.StartNew();
try
{
    await app.StartAsync();
    var baseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    var sites = app.Services.GetRequiredService<ISiteStore>();
    var keys = new string[recorders];
    // On LiteDB one transaction for the set-up (each commit is a disk flush); PostgreSQL takes the sites in parallel.
    var liteDb = provider == "litedb" ? app.Services.GetRequiredService<ServiceHall.Console.Storage.ConsoleDatabase>().Database : null;
    liteDb?.BeginTrans();
    Parallel.For(0, recorders, new ParallelOptions { MaxDegreeOfParallelism = liteDb is null ? 8 : 1 }, i =>
    {
        var id = $"hall-{i:D5}";
        sites.Upsert(id, $"大厅 {i}", $"district-{i % 50:D2}");
        keys[i] = sites.IssueKey(id, revokeOthers: false);
    });
    liteDb?.Commit();

    Console.WriteLine($"registered {recorders} sites on {provider} in {total.Elapsed.TotalSeconds:0.0} s");

    // Monitors: one signed-in admin, 20 connections watching everything.
    var cookies = await SignInAsync(baseUri, password, trust);
    var latencies = new ConcurrentBag<double>();
    var received = 0L;
    var measuring = 0;
    var monitorConnections = new List<HubConnection>();
    for (var m = 0; m < monitors; m++)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUri, HubPaths.Monitor), o =>
            {
                o.Cookies = cookies;
                o.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = trust.Validate;
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
            .Build();
        // Window changes arrive batched per push interval; each change in a batch is one delivery, timed on its own.
        connection.On<WindowStatesChanged>(nameof(IMonitorClient.WindowStatesChanged), batch =>
        {
            if (Volatile.Read(ref measuring) == 1)
            {
                var now = DateTimeOffset.UtcNow;
                foreach (var w in batch.Windows)
                {
                    latencies.Add((now - w.Since).TotalMilliseconds);
                }

                Interlocked.Add(ref received, batch.Windows.Count);
            }
        });
        // Like a browser, a monitor takes every message it is sent; one without a handler would cost the client a
        // binding exception each, which is not the Console's cost.
        connection.On<SiteStatusesChanged>(nameof(IMonitorClient.SiteStatusesChanged), _ => { });
        connection.On<SnapshotUpdated>(nameof(IMonitorClient.SnapshotUpdated), _ => { });
        connection.On<AlertRaised>(nameof(IMonitorClient.AlertRaised), _ => { });
        connection.On<AlertChanged>(nameof(IMonitorClient.AlertChanged), _ => { });
        await connection.StartAsync();
        await connection.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));
        monitorConnections.Add(connection);
    }

    // Recorders: each its own connection, opened 64 at a time.
    var connect = Stopwatch.StartNew();
    var connections = new HubConnection?[recorders];
    var failures = 0;
    using (var gate = new SemaphoreSlim(64))
    {
        await Task.WhenAll(Enumerable.Range(0, recorders).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(baseUri, HubPaths.Recorder), o =>
                    {
                        o.Headers[SiteKeyHeaders.SiteId] = $"hall-{i:D5}";
                        o.Headers[SiteKeyHeaders.Key] = keys[i];
                        o.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = trust.Validate;
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                    })
                    .AddJsonProtocol(j => j.PayloadSerializerOptions = WireJson.Options)
                    .Build();
                connection.ServerTimeout = TimeSpan.FromSeconds(120);
                connection.KeepAliveInterval = TimeSpan.FromSeconds(30);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await connection.StartAsync(timeout.Token);
                connections[i] = connection;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Net.WebSockets.WebSocketException or InvalidOperationException)
            {
                if (Interlocked.Increment(ref failures) <= 5)
                {
                    Console.WriteLine($"recorder {i} failed to connect: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    var connected = connections.Count(c => c is not null);
    Console.WriteLine($"connected {connected}/{recorders} recorders in {connect.Elapsed.TotalSeconds:0.0} s");

    // Heartbeats every interval, each Recorder at its own phase, for the rest of the run.
    using var stop = new CancellationTokenSource();
    var heartbeats = 0L;
    var heartbeatErrors = 0L;
    var heartbeatLoop = Task.Run(async () =>
    {
        var interval = TimeSpan.FromSeconds(heartbeatSeconds);
        var clock = Stopwatch.StartNew();
        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            var roundStart = interval * round;
            var sends = new List<Task>(recorders);
            for (var i = 0; i < recorders; i++)
            {
                if (connections[i] is not { } connection)
                {
                    continue;
                }

                var due = roundStart + (interval * i / recorders);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                sends.Add(SendHeartbeat(connection, i));
            }

            await Task.WhenAll(sends);
            round++;
        }
    });

    async Task SendHeartbeat(HubConnection connection, int i)
    {
        try
        {
            await connection.InvokeAsync<HeartbeatAcknowledged>(
                nameof(IRecorderHub.Heartbeat),
                new HeartbeatSent($"大厅 {i}", "bench", DateTimeOffset.UtcNow, 500_000_000_000, [new CameraHealthReported("cam-1", "一号", true, DateTimeOffset.UtcNow, 1280, 720, null)]));
            Interlocked.Increment(ref heartbeats);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Increment(ref heartbeatErrors);
        }
    }

    await Task.Delay(TimeSpan.FromSeconds(warmSeconds));
    Console.WriteLine($"heartbeats: {Interlocked.Read(ref heartbeats)} delivered, {Interlocked.Read(ref heartbeatErrors)} failed in the first {warmSeconds} s");

    // Burst: events spread over the connected Recorders, each Recorder's own sequence, as fast as acknowledged, 256 in flight.
    var live = connections.Where(c => c is not null).Select((c, n) => (Connection: c!, Index: Array.IndexOf(connections, c))).ToArray();
    var sequences = new long[recorders];
    var ingestErrors = 0;
    Volatile.Write(ref measuring, 1);
    // CPU this process spent from the burst's start until every monitor had its changes: Console and all clients.
    // Unlike events/s it barely depends on what else the machine runs.
    var burstCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var burst = Stopwatch.StartNew();
    using (var inFlight = new SemaphoreSlim(256))
    {
        var sends = new Task[burstEvents];
        for (var e = 0; e < burstEvents; e++)
        {
            await inFlight.WaitAsync();
            var (connection, index) = live[e % live.Length];
            var sequence = Interlocked.Increment(ref sequences[index]);
            SiteEvent siteEvent = e / live.Length % 2 == 0
                ? new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = DateTimeOffset.UtcNow }
                : new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = DateTimeOffset.UtcNow };
            sends[e] = Publish(connection, new EventBatchSent([new EventRecorded(Guid.NewGuid(), sequence, DateTimeOffset.UtcNow, siteEvent, null)]), inFlight);
        }

        await Task.WhenAll(sends);
    }

    async Task Publish(HubConnection connection, EventBatchSent batch, SemaphoreSlim inFlight)
    {
        try
        {
            var ack = await connection.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
            if (ack.Stored != batch.Events.Count)
            {
                Interlocked.Increment(ref ingestErrors);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Increment(ref ingestErrors);
        }
        finally
        {
            inFlight.Release();
        }
    }

    var ingestSeconds = burst.Elapsed.TotalSeconds;
    var expected = (long)burstEvents * monitors;
    var drain = Stopwatch.StartNew();
    while (Interlocked.Read(ref received) < expected && drain.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(100);
    }

    Volatile.Write(ref measuring, 0);
    var burstCpu = Process.GetCurrentProcess().TotalProcessorTime - burstCpuStart;
    await stop.CancelAsync();
    await heartbeatLoop;

    var stored = app.Services.GetRequiredService<IngestMetrics>().Snapshot();
    var sorted = latencies.ToArray();
    Array.Sort(sorted);
    double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    var eventsPerSecond = burstEvents / ingestSeconds;
    using var self = Process.GetCurrentProcess();
    Console.WriteLine($"burst: {burstEvents} events acknowledged in {ingestSeconds:0.00} s ({eventsPerSecond:0} events/s), {ingestErrors} failed, {stored.EventsStored} stored");
    Console.WriteLine($"monitors: {Interlocked.Read(ref received)}/{expected} window changes received; send-to-monitor latency p50={Percentile(0.50):0} ms p99={Percentile(0.99):0} ms max={Percentile(1.0):0} ms");
    Console.WriteLine($"heartbeats: {Interlocked.Read(ref heartbeats)} delivered, {Interlocked.Read(ref heartbeatErrors)} failed");
    Console.WriteLine($"burst cpu: {burstCpu.TotalSeconds:0.0} s for {burstEvents} events with heartbeats going on ({burstEvents / burstCpu.TotalSeconds:0} events per CPU-second, Console and clients together); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine($"memory (one process: Console + {connected} recorder and {monitors} monitor clients): working set {self.WorkingSet64 / (1024 * 1024)} MiB, peak {self.PeakWorkingSet64 / (1024 * 1024)} MiB, managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB; cpu {self.TotalProcessorTime.TotalSeconds:0} s over {total.Elapsed.TotalSeconds:0} s");

    await Task.WhenAll(connections.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask()));
    await Task.WhenAll(monitorConnections.Select(c => c.DisposeAsync().AsTask()));
    Console.WriteLine($"recorders={connected} events_per_s={eventsPerSecond:0} p99_ms={Percentile(0.99):0}");
    return connected == recorders && ingestErrors == 0 ? 0 : 1;
}
finally
{
    using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30));
    await app.StopAsync(shutdown.Token);
    await app.DisposeAsync();
    if (Directory.Exists(data))
    {
        Directory.Delete(data, recursive: true);
    }

    if (postgres is not null && database is not null)
    {
        // The server itself stops when this process exits; its key-ring certificate folder goes with the database.
        await postgres.DropDatabaseAsync(database);
        Directory.Delete(Path.GetDirectoryName(storeArgs.Last(a => a.StartsWith("--Auth:DataProtectionCertificate=", StringComparison.Ordinal)).Split('=', 2)[1])!, recursive: true);
    }
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) && value > 0 ? value : fallback;
}

static async Task<CookieContainer> SignInAsync(Uri baseUri, string password, TlsTrust trust)
{
    var cookies = new CookieContainer();
    var handler = trust.CreateHandler();
    handler.CookieContainer = cookies;
    using var http = new HttpClient(handler) { BaseAddress = baseUri };
    // What the Console's pages send with every request; a sign-in without it is refused as possibly forged.
    http.DefaultRequestHeaders.Add(ServiceHall.Console.Transport.RequestForgery.HeaderName, "1");
    (await http.PostAsJsonAsync("/api/auth/login", new { user = "admin", password })).EnsureSuccessStatusCode();
    (await http.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = password + "-changed" })).EnsureSuccessStatusCode();
    (await http.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = password + "-changed" })).EnsureSuccessStatusCode();
    return cookies;
}
