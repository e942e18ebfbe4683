using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Ingest;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Uplink;

/// <summary>The real outbox, sender and link against a real Console on Kestrel: no loss, no duplicates, in order.</summary>
public sealed class UplinkDeliveryTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow;

    [Fact]
    public async Task PublishedEvents_ReachConsole_InOrder_ExactlyOnce_AndLeaveTheOutbox()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a");
        using var dir = new TempDirectory();
        await using var rig = await UplinkRig.StartAsync(dir.Path, server.BaseAddress, "hall-a", key, TimeProvider.System);

        for (var i = 0; i < 1000; i++)
        {
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), null, CancellationToken.None);
        }

        var store = server.App.Services.GetRequiredService<IEventStore>();
        await Eventually.True(() => rig.Outbox.Count == 0, TimeSpan.FromSeconds(60), "the outbox to drain");
        var stored = store.ForSite("hall-a");
        Assert.Equal(1000, stored.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => UplinkRig.Staffed(i, At)), stored.Select(s => s.ToEvent()));
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.Second.Sequence == p.First.Sequence + 1), "no gaps in the sequence");
    }

    [Fact]
    public async Task LinkDownTenMinutesOfFakeTime_WithTenThousandQueued_AllArriveAfterItReturns()
    {
        using var dir = new TempDirectory();
        var consoleData = dir.Combine("console");
        var port = Loopback.FreePort();
        string[] args = [.. TestTls.ConsoleArgs($"https://127.0.0.1:{port}"), $"--Storage:DataDirectory={consoleData}"];
        string key;
        await using (var first = await ConsoleServer.StartAsync(args))
        {
            key = first.AddSite("hall-a");
        }

        var time = new FakeTimeProvider(At);
        await using var rig = await UplinkRig.StartAsync(dir.Combine("recorder"), new Uri($"https://127.0.0.1:{port}"), "hall-a", key, time);
        for (var i = 0; i < 10_000; i++)
        {
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), null, CancellationToken.None);
        }

        for (var second = 0; second < 600; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal(10_000, rig.Outbox.Count);
        await using var again = await ConsoleServer.StartAsync(args);
        await Eventually.True(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return rig.Outbox.Count == 0;
            },
            TimeSpan.FromSeconds(120),
            "10,000 queued events to drain after the link returns");

        var stored = again.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a");
        Assert.Equal(10_000, stored.Count);
        Assert.Equal(10_000, stored.Select(s => s.EventId).Distinct().Count());
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.Second.Sequence == p.First.Sequence + 1), "in order, no gaps");
    }
}
