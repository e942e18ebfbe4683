using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Uplink;

/// <summary>Fault drills with real processes killed by SIGKILL: afterwards every event is stored exactly once, in order.</summary>
public sealed class FaultDrillTests
{
    private const string ConsoleApp = "ServiceHall.Console";
    private const string RecorderApp = "ServiceHall.Recorder";
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    [Fact]
    public async Task ConsoleKilledAndRestarted_WhileRecordersSend_EveryEventStoredOnceInOrder()
    {
        using var dir = new TempDirectory();
        var consoleData = dir.Combine("console");
        var port = Loopback.FreePort();
        var console = new Uri($"https://127.0.0.1:{port}");
        string[] consoleArgs = [.. TestTls.ConsoleArgs(console.ToString()), $"--Storage:DataDirectory={consoleData}", "--Auth:InitialAdminPassword=drill-password"];
        string[] sites = ["hall-a", "hall-b", "hall-c"];
        var keys = new Dictionary<string, string>();
        foreach (var site in sites)
        {
            var keyFile = dir.Combine($"{site}.key");
            Assert.Equal(0, await ChildProcess.RunAsync(ConsoleApp, "sites", "add", site, site, "d1", "--key-file", keyFile, $"--Storage:DataDirectory={consoleData}"));
            keys[site] = (await File.ReadAllTextAsync(keyFile)).Trim();
        }

        const int perSite = 1500;
        var first = ChildProcess.Start(ConsoleApp, consoleArgs);
        ChildProcess? second = null;
        var rigs = new List<UplinkRig>();
        try
        {
            await WaitHealthyAsync(console);
            foreach (var site in sites)
            {
                rigs.Add(await UplinkRig.StartAsync(dir.Combine(site), console, site, keys[site], TimeProvider.System, o => o.BatchMaxEvents = 50));
            }

            // Publish steadily; kill the Console with SIGKILL a third of the way through.
            var publishing = Task.WhenAll(rigs.Select(async rig =>
            {
                for (var i = 0; i < perSite; i++)
                {
                    await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), null, CancellationToken.None);
                    if (i % 100 == 0)
                    {
                        await Task.Delay(20);
                    }
                }
            }));
            await Eventually.True(() => rigs.All(r => r.Outbox.Count < perSite / 3) && publishing.IsCompleted is false, TimeSpan.FromSeconds(60), "the Recorders to be sending");
            first.KillHard();
            await publishing;
            Assert.True(rigs.Sum(r => r.Outbox.Count) > 0, "events must be waiting while the Console is down");

            second = ChildProcess.Start(ConsoleApp, consoleArgs);
            await Eventually.True(() => rigs.All(r => r.Outbox.Count == 0), TimeSpan.FromSeconds(120), "every outbox to drain after the restart");
        }
        finally
        {
            foreach (var rig in rigs)
            {
                await rig.DisposeAsync();
            }

            second?.KillHard();
            second?.Dispose();
            first.Dispose();
        }

        // Read the store the killed Console left behind.
        using var db = new ConsoleDatabase(Options.Create(new StorageOptions { DataDirectory = consoleData }));
        var store = new LiteDbEventStore(db, Options.Create(new IngestOptions()), Options.Create(new FleetOptions()), TimeProvider.System);
        foreach (var site in sites)
        {
            var stored = store.ForSite(site);
            Assert.Equal(perSite, stored.Count);
            Assert.Equal(perSite, stored.Select(e => e.EventId).Distinct().Count());
            Assert.Equal(Enumerable.Range(0, perSite).Select(i => UplinkRig.Staffed(i, At)), stored.Select(e => e.ToEvent()));
        }
    }

    [Fact]
    public async Task RecorderKilledMidBatch_AndRestarted_NoLossNoDuplicate()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a");
        using var dir = new TempDirectory();
        const int queued = 4000;
        // Events already in the Recorder's outbox file, as features would have left them.
        await using (var filler = UplinkRig.Offline(dir.Path, new FakeTimeProvider(At)))
        {
            for (var i = 0; i < queued; i++)
            {
                await filler.Outbox.PublishAsync(UplinkRig.Staffed(i, At), null, CancellationToken.None);
            }
        }

        string[] recorderArgs =
        [
            "--Site:Id=hall-a",
            "--Site:Name=drill",
            $"--Site:DataDirectory={dir.Path}",
            $"--Uplink:ConsoleUrl={server.BaseAddress}",
            $"--Uplink:SiteKey={key}",
            $"--Uplink:CaCertificate={TestTls.CaPath}",
            "--Uplink:BatchMaxEvents=20",
            "--Uplink:RetryInitialDelay=00:00:00.200",
            "--Uplink:RetryMaxDelay=00:00:01",
            "--Capture:Cameras:0:Id=cam-1",
            "--Capture:Cameras:0:Name=none",
            $"--Capture:Cameras:0:Url=rtsp://127.0.0.1:{Loopback.FreePort()}/none",
        ];
        var store = server.App.Services.GetRequiredService<IEventStore>();
        var metrics = server.App.Services.GetRequiredService<IngestMetrics>();
        using (var recorder = ChildProcess.Start(RecorderApp, recorderArgs))
        {
            await Eventually.True(() => store.Count() > 200 || recorder.HasExited, TimeSpan.FromSeconds(60), "the Recorder to be mid-stream");
            Assert.False(recorder.HasExited, string.Join('\n', recorder.Output));
            recorder.KillHard();
        }

        var beforeRestart = store.Count();
        Assert.InRange(beforeRestart, 1, queued - 1);
        using (var restarted = ChildProcess.Start(RecorderApp, recorderArgs))
        {
            // The Recorder's own camera feature adds CameraLost (its camera is unreachable): count the queued events only.
            await Eventually.True(() => store.Count() >= queued && store.ForSite("hall-a").Count(e => e.ToEvent() is WindowStaffed) == queued, TimeSpan.FromSeconds(120), "all queued events after the restart");
            restarted.KillHard();
        }

        var all = store.ForSite("hall-a");
        Assert.All(all.Select(e => e.ToEvent()).Where(e => e is not WindowStaffed), e => Assert.IsType<CameraLost>(e));
        var stored = all.Where(e => e.ToEvent() is WindowStaffed).ToList();
        Assert.Equal(queued, stored.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, queued).Select(i => UplinkRig.Staffed(i, At)), stored.Select(e => e.ToEvent()));
        Assert.Equal(0, metrics.Snapshot().EventsRejected);
    }

    private static async Task WaitHealthyAsync(Uri console)
    {
        using var http = TestTls.Client(console, timeout: TimeSpan.FromSeconds(2));
        await Eventually.True(
            () =>
            {
                try
                {
                    return http.GetAsync("/health").GetAwaiter().GetResult().IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "the Console process to answer /health");
    }
}
