using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Site;
using ServiceHall.Recorder.Storage;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Transport;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Uplink;

/// <summary>The Recorder's real uplink parts (LiteDB outbox, sender, Console link) without cameras, on a given clock.</summary>
public sealed class UplinkRig : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];
    private ILoggerFactory? _logs;

    private UplinkRig(string dataDirectory, Uri? console, string siteId, string key, TimeProvider time, Action<UplinkOptions>? tune)
    {
        var site = Options.Create(new SiteOptions { Id = siteId, Name = "测试大厅", DataDirectory = dataDirectory });
        Uplink = new UplinkOptions
        {
            ConsoleUrl = console ?? new Uri("http://127.0.0.1:9"),
            SiteKey = key,
            RetryInitialDelay = TimeSpan.FromMilliseconds(100),
            RetryMaxDelay = TimeSpan.FromSeconds(1),
            CaCertificate = TestTls.CaPath,
        };
        tune?.Invoke(Uplink);
        Database = new RecorderDatabase(site);
        Outbox = new Outbox(Database, Options.Create(Uplink), time, Logs.CreateLogger<Outbox>());
        var trigger = new ReportTrigger();
        _owned.Add(trigger);
        var trust = Uplink.CaCertificate is { Length: > 0 } ca ? TlsTrust.PinnedTo(ca) : TlsTrust.System;
        Link = new ConsoleLink(Options.Create(Uplink), site, trigger, trust, time, Logs.CreateLogger<ConsoleLink>());
        Sender = new OutboxSender(Outbox, Link, Options.Create(Uplink), time, Logs.CreateLogger<OutboxSender>());
    }

    public UplinkOptions Uplink { get; }

    public RecorderDatabase Database { get; }

    public Outbox Outbox { get; }

    public ConsoleLink Link { get; }

    public OutboxSender Sender { get; }

    /// <summary>What the link and the outbox logged, as an operator would read it.</summary>
    public LogCollector LogLines { get; } = new();

    public ILoggerFactory Logs => _logs ??= LoggerFactory.Create(b => b.AddProvider(LogLines));

    /// <summary>Outbox only: nothing connects or sends.</summary>
    public static UplinkRig Offline(string dataDirectory, TimeProvider time, Action<UplinkOptions>? tune = null) =>
        new(dataDirectory, null, "hall-a", "unused", time, tune);

    /// <summary>Outbox, link and sender, started against <paramref name="console"/>.</summary>
    public static async Task<UplinkRig> StartAsync(string dataDirectory, Uri console, string siteId, string key, TimeProvider time, Action<UplinkOptions>? tune = null)
    {
        var rig = new UplinkRig(dataDirectory, console, siteId, key, time, tune);
        await rig.Link.StartAsync(CancellationToken.None);
        await rig.Sender.StartAsync(CancellationToken.None);
        return rig;
    }

    public static WindowStaffed Staffed(int n, DateTimeOffset at) =>
        new() { CameraId = "cam-1", WindowId = $"w{n % 100:D2}", OccurredAt = at.AddMilliseconds(n) };

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Sender.StopAsync(stop.Token);
        await Link.StopAsync(stop.Token);
        Sender.Dispose();
        Link.Dispose();
        Outbox.Dispose();
        Database.Dispose();
        _logs?.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
