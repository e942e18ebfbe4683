using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ServiceHall.Console;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Bench.Failover;

/// <summary>What the drill measured, and whether it met the issue's goal.</summary>
public sealed record DrillResult(TimeSpan? Failover, EventTally Events, AlertTally Alerts)
{
    public static readonly TimeSpan Goal = TimeSpan.FromSeconds(30);

    public bool GoalMet => Failover is { } f && f <= Goal && Events.Lost == 0 && Events.Duplicated == 0 && Alerts.Lost == 0 && Alerts.Doubled == 0;
}

/// <summary>
/// The failover drill: builds the cluster (PostgreSQL, Redis, two node processes, HAProxy), the halls and the screens,
/// runs the burst, kills a node, waits for everything to be delivered, then counts from PostgreSQL itself. Disposing it
/// stops every process it started and removes its folders, whatever happened.
/// </summary>
public sealed class Drill(FailoverOptions options, TextWriter output, Stopwatch clock) : IAsyncDisposable
{
    private const string AdminPassword = "Bench-admin-password-1";
    private const string LostCamera = "cam-2";

    /// <summary>How long after the burst the drill waits for every Recorder to be connected with its outbox empty.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("servicehall-failover-").FullName;
    private readonly List<ConsoleNode> _nodes = [];
    private readonly List<Task> _running = [];
    private readonly List<SimulatedRecorder> _recorders = [];
    private readonly FailureReasons _failures = new();
    private int _proxyLinesShown;
    private readonly CancellationTokenSource _stop = new();
    private PostgresServer? _postgres;
    private string? _connectionString;
    private RedisServer? _redis;
    private HaproxyServer? _proxy;

    public async Task<DrillResult> RunAsync(CancellationToken cancellationToken)
    {
        _postgres = await PostgresServer.SharedAsync();
        _connectionString = await _postgres.CreateDatabaseAsync();
        _redis = await RedisServer.StartAsync();
        var keys = RegisterSites(_connectionString);
        Say($"registered {options.Recorders} sites and keys through the Console's site store on PostgreSQL");

        string[] nodeArgs =
        [
            .. TestKeyRing.PostgresConsoleArgs(_connectionString),
            $"--Cluster:Redis={_redis.Configuration}",
            $"--Auth:InitialAdminPassword={AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:ServiceHall.Console.Fleet.OfflineSweeper=Error",
        ];
        foreach (var name in (string[])["node1", "node2"])
        {
            _nodes.Add(await ConsoleNode.StartAsync(name, options.ConsoleDll, [.. nodeArgs, $"--Storage:DataDirectory={Path.Combine(_folder, name)}"], cancellationToken));
        }

        _proxy = await HaproxyServer.StartAsync(_nodes[0].BaseAddress, _nodes[1].BaseAddress);
        Say($"cluster up: PostgreSQL on port {_postgres.Port}, Redis {_redis.Configuration}, {string.Join(", ", _nodes.Select(n => $"{n.Name} on port {n.Port}"))}, HAProxy on {_proxy.BaseAddress}");

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token).Token;
        var monitors = await StartMonitorsAsync(stop);
        var recorders = await StartRecordersAsync(keys, stop);

        var (sent, killedAt) = await BurstAsync(recorders, stop);
        var killed = _nodes[0];

        // Delivered: every Recorder connected and its outbox empty; bounded by what is left of the drill's time.
        var drain = Stopwatch.StartNew();
        await WaitUntilAsync(() => recorders.All(r => r.Connected && r.Pending == 0), DrainLimit, cancellationToken);
        var delivered = recorders.All(r => r.Connected && r.Pending == 0);
        var back = recorders.Where(r => r.ConnectedAt > killedAt).ToList();
        TimeSpan? failover = recorders.All(r => r.Connected)
            ? back.Count == 0 ? TimeSpan.Zero : back.Max(r => r.ConnectedAt) - killedAt
            : null;
        Say($"failover: {back.Count} Recorders reconnected after {killed.Name} was killed; every Recorder connected again {(failover is { } f ? $"{f.TotalSeconds:0.0} s after the kill" : "NEVER within the drill's time")} " +
            $"({recorders.Sum(r => r.ConnectFailures)} failed connects, {recorders.Count(r => r.Connected)}/{recorders.Count} connected now); outboxes {(delivered ? "empty" : $"NOT empty: {recorders.Sum(r => r.Pending)} events pending")} {drain.Elapsed.TotalSeconds:0.0} s after the burst");

        ReportFailures();

        // The screens: pushes travel batched per interval and across nodes through Redis; wait until they stop coming.
        await SettleAsync(monitors);

        var stored = await QueryAsync(_connectionString, "SELECT site_id, sequence, event_id FROM events", r => new StoredEvent(r.GetString(0), r.GetInt64(1), r.GetGuid(2)));
        var alerts = await QueryAsync(_connectionString, "SELECT id, site_id, type, subject FROM alerts", r => new StoredAlert(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        var events = Tally.Events(sent, stored, recorders.SelectMany(r => r.PendingIds()).ToHashSet());
        var raised = Tally.Alerts(sent, stored, alerts, AlertTypes.CameraDown, LostCamera);
        Say($"events: {events.Sent} sent, {events.Stored} stored, {events.Lost} lost (not stored; {events.Undelivered} of them still in an outbox, never acknowledged), {events.Duplicated} stored twice, {events.Foreign} stored that no Recorder sent; " +
            $"on the wire {recorders.Sum(r => r.Resent)} sent again after a failure or reconnect, {recorders.Sum(r => r.DuplicatesAcknowledged)} acknowledged as already stored, {recorders.Sum(r => r.SendFailures)} batches failed");
        Say($"alerts: {raised.Expected} camera-down expected (one per stored CameraLost), {raised.Stored} stored, {raised.Lost} lost, {raised.Doubled} doubled; " +
            $"other alerts: {string.Join(", ", alerts.Where(a => a.Type != AlertTypes.CameraDown).GroupBy(a => a.Type).Select(g => $"{g.Count()} {g.Key}").DefaultIfEmpty("none"))}");
        ReportMonitors(monitors, sent, stored, alerts);
        foreach (var node in _nodes)
        {
            node.SampleCpu();
            Say($"{node.Name}: {(node == killed ? "killed" : "survived")}, {node.Warnings} warning lines logged, cpu {node.Cpu.TotalSeconds:0} s, working set {node.WorkingSetBytes / (1024 * 1024)} MiB");
        }

        var result = new DrillResult(failover, events, raised);
        Say($"goal (every Recorder back within {DrillResult.Goal.TotalSeconds:0} s, nothing lost or doubled): {(result.GoalMet ? "met" : "MISSED")}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {clock.Elapsed.TotalSeconds:0} s in all");
        output.WriteLine($"failover_s={(failover is { } s ? s.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "inf")} lost={events.Lost} duplicated={events.Duplicated}");
        return result;
    }

    /// <summary>Sites and keys through the Console's own store (as <c>ServiceHall.Console sites add</c> does), which also migrates the schema.</summary>
    private string[] RegisterSites(string connectionString)
    {
        var started = clock.Elapsed;
        using var setup = ConsoleApp.Build(
        [
            .. TestKeyRing.PostgresConsoleArgs(connectionString),
            $"--Storage:DataDirectory={Path.Combine(_folder, "setup")}",
            $"--Auth:InitialAdminPassword={AdminPassword}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        var sites = setup.Services.GetRequiredService<ISiteStore>();
        var keys = new string[options.Recorders];
        Parallel.For(0, options.Recorders, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var id = SiteId(i);
            sites.Upsert(id, $"大厅 {i}", $"district-{i % 50:D2}");
            keys[i] = sites.IssueKey(id, revokeOthers: true);
        });
        Say($"site set-up took {(clock.Elapsed - started).TotalSeconds:0.0} s");
        return keys;
    }

    private async Task<List<SimulatedMonitor>> StartMonitorsAsync(CancellationToken stop)
    {
        var cookies = new CookieContainer();
        using (var http = TestTls.Client(_proxy!.BaseAddress, cookies))
        {
            (await http.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = AdminPassword }, stop)).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/auth/password", new { currentPassword = AdminPassword, newPassword = AdminPassword + "-changed" }, stop)).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = AdminPassword + "-changed" }, stop)).EnsureSuccessStatusCode();
        }

        var monitors = new List<SimulatedMonitor>();
        for (var m = 0; m < options.Monitors; m++)
        {
            var monitor = new SimulatedMonitor(_proxy.BaseAddress, cookies);
            _running.Add(await monitor.StartAsync(stop));
            monitors.Add(monitor);
        }

        Say($"{monitors.Count} screens signed in and watching every site through the proxy");
        return monitors;
    }

    private async Task<List<SimulatedRecorder>> StartRecordersAsync(string[] keys, CancellationToken stop)
    {
        var started = Stopwatch.StartNew();
        var recorders = Enumerable.Range(0, options.Recorders).Select(i => new SimulatedRecorder(SiteId(i), keys[i], _proxy!.BaseAddress, clock, _failures)).ToList();
        _recorders.AddRange(recorders);
        // Halls come up over a few seconds, 100 at a time, not in one instant.
        foreach (var group in recorders.Chunk(100))
        {
            _running.AddRange(group.Select(r => Task.Run(() => r.RunAsync(stop), CancellationToken.None)));
            await Task.Delay(100, stop);
        }

        await WaitUntilAsync(() => recorders.All(r => r.Connected), TimeSpan.FromMinutes(3), stop);
        var connected = recorders.Count(r => r.Connected);
        Say($"connected {connected}/{recorders.Count} Recorders through the proxy in {started.Elapsed.TotalSeconds:0.0} s ({recorders.Sum(r => r.ConnectFailures)} failed connects retried)");
        ReportFailures();
        if (connected < recorders.Count)
        {
            throw new InvalidOperationException("not every Recorder connected before the burst: the box cannot hold this many; try --recorders with fewer");
        }

        // A little steady state first: heartbeats going, every site online.
        await Task.Delay(TimeSpan.FromSeconds(5), stop);
        return recorders;
    }

    /// <summary>Produces the burst at its pace, spread over every hall, and kills node1 when the given share has been produced.</summary>
    private async Task<(ConcurrentBag<SentEvent> Sent, TimeSpan KilledAt)> BurstAsync(List<SimulatedRecorder> recorders, CancellationToken stop)
    {
        var sent = new ConcurrentBag<SentEvent>();
        var perRecorder = Math.Max(1, options.Events / recorders.Count);
        var killAtEvent = (int)(options.Events * options.KillAt);
        var killedAt = TimeSpan.Zero;
        var started = clock.Elapsed;
        for (var e = 0; e < options.Events; e++)
        {
            // On the pace: the e-th event is due e / rate seconds into the burst.
            var due = started + TimeSpan.FromSeconds((double)e / options.EventsPerSecond);
            if (due - clock.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, stop);
            }

            if (e == killAtEvent)
            {
                _nodes[0].Kill();
                killedAt = clock.Elapsed;
                Say($"{_nodes[0].Name} SIGKILLed at event {e} of the burst, {(killedAt - started).TotalSeconds:0.0} s in");
            }

            var index = e % recorders.Count;
            var nth = e / recorders.Count;
            var raisesAlert = index % options.AlertEvery == 0 && nth == perRecorder / 2;
            sent.Add(recorders[index].Produce(at => Event(nth, at, raisesAlert), raisesAlert));
        }

        Say($"burst: {options.Events} events produced in {(clock.Elapsed - started).TotalSeconds:0.0} s ({options.EventsPerSecond}/s asked), {sent.Count(s => s.RaisesAlert)} of them a lost camera");
        return (sent, killedAt);
    }

    private void ReportFailures()
    {
        foreach (var reason in _failures.Top(4))
        {
            Say($"  failed connect or send: {reason}");
        }

        _failures.Clear();
        // HAProxy's view: nodes marked down and up again, with the health check's reason.
        var proxyLog = _proxy?.Log.Where(l => l.Contains(" is DOWN", StringComparison.Ordinal) || l.Contains(" is UP", StringComparison.Ordinal)).ToList() ?? [];
        foreach (var line in proxyLog.Skip(_proxyLinesShown))
        {
            Say($"  haproxy: {line}");
        }

        _proxyLinesShown = proxyLog.Count;
        foreach (var node in _nodes)
        {
            foreach (var message in node.Messages.Top(3))
            {
                Say($"  {node.Name} logged: {message}");
            }

            node.Messages.Clear();
        }
    }

    private static SiteEvent Event(int nth, DateTimeOffset at, bool lostCamera) =>
        lostCamera ? new CameraLost { CameraId = LostCamera, Reason = "bench: camera unplugged", OccurredAt = at }
        : nth % 2 == 0 ? new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = at }
        : new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = at };

    private void ReportMonitors(List<SimulatedMonitor> monitors, IReadOnlyCollection<SentEvent> sent, IReadOnlyCollection<StoredEvent> stored, IReadOnlyCollection<StoredAlert> alerts)
    {
        // Every stored occupancy event is a window change each screen should have been pushed, keyed (site, its time).
        var storedIds = stored.Select(e => e.EventId).ToHashSet();
        var windows = sent.Where(s => !s.RaisesAlert && storedIds.Contains(s.EventId)).Select(s => (s.SiteId, s.OccurredAtTicks)).ToList();
        var raised = alerts.Where(a => a.Type == AlertTypes.CameraDown).Select(a => a.AlertId).ToList();
        var missedWindows = monitors.Select(m => Tally.Missed(windows, m.Windows)).ToList();
        var missedAlerts = monitors.Select(m => Tally.Missed(raised, m.Alerts)).ToList();
        var reconnected = monitors.Count(m => m.Connects > 1);
        Say($"monitors: {monitors.Count} screens, {reconnected} reconnected after the kill; window pushes missed {missedWindows.Sum()} of {windows.Count * monitors.Count} " +
            $"(per screen: {string.Join(" ", missedWindows)}); alert pushes missed {missedAlerts.Sum()} of {raised.Count * monitors.Count} (per screen: {string.Join(" ", missedAlerts)})");
    }

    private static async Task SettleAsync(List<SimulatedMonitor> monitors)
    {
        var last = -1;
        var quietSince = Stopwatch.StartNew();
        for (var settle = Stopwatch.StartNew(); settle.Elapsed < TimeSpan.FromSeconds(30) && quietSince.Elapsed < TimeSpan.FromSeconds(3); await Task.Delay(250))
        {
            var now = monitors.Sum(m => m.Received);
            if (now != last)
            {
                last = now;
                quietSince.Restart();
            }
        }
    }

    /// <summary>Until the condition holds, the limit passes or the drill's time is up, whichever comes first; never throws.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        for (var waited = Stopwatch.StartNew(); !condition() && waited.Elapsed < limit && !cancellationToken.IsCancellationRequested;)
        {
            await Task.WhenAny(Task.Delay(100, cancellationToken));
        }
    }

    private static async Task<List<T>> QueryAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<T>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static string SiteId(int i) => $"hall-{i:D5}";

    private void Say(string line) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {line}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(30));
        }
#pragma warning disable CA1031 // Clean-up goes on whatever the clients ended with.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        foreach (var recorder in _recorders)
        {
            recorder.Dispose();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgres is not null && _connectionString is not null)
        {
            await _postgres.DropDatabaseAsync(_connectionString);
        }

        Directory.Delete(_folder, recursive: true);
        // The key ring's certificate folder, made for this process by TestKeyRing.
        var keyRing = TestKeyRing.ConsoleArgs()[0].Split('=', 2)[1];
        Directory.Delete(Path.GetDirectoryName(keyRing)!, recursive: true);
        _stop.Dispose();
    }
}
