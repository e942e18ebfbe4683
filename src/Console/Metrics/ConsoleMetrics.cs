using System.Diagnostics.Metrics;
using Prometheus;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Metrics;

/// <summary>
/// The Prometheus page of this Console. Counters and histograms come from the features' own
/// <see cref="System.Diagnostics.Metrics"/> instruments (made by this host's <see cref="IMeterFactory"/>, so two
/// Consoles in one process, as in the tests, never count each other's events); gauges are read from the stores at
/// each scrape, so they cannot drift from what the API shows. The registry is this host's, never prometheus-net's
/// static default one.
/// </summary>
public sealed class ConsoleMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly Gauge _recordersConnected;
    private readonly Gauge _sites;
    private readonly Gauge _cameras;
    private readonly Gauge _alertsOpen;
    private readonly Gauge _storedSequence;
    private readonly Gauge _storeUp;
    private readonly Gauge _storeFreeBytes;
    private readonly Gauge _webhookBacklog;
    private readonly HashSet<(string Type, string State)> _alertLabels = [];
    private readonly Lock _collecting = new();

    public ConsoleMetrics(IMeterFactory meters, IngestMetrics ingest, FleetState fleet, AlertEngine alerts, AlertWebhook webhook, IEventStore events, IEnumerable<IStoreProbe> stores)
    {
        // Taken so that its instruments exist (and show 0) before the first batch arrives.
        _ = ingest;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        _factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _recordersConnected = _factory.CreateGauge("servicehall_recorders_connected", "Recorders whose heartbeats are fresh (sites online).");
        _sites = _factory.CreateGauge("servicehall_sites", "Registered sites by link state: online, reconnecting, offline.", "state");
        _cameras = _factory.CreateGauge("servicehall_cameras", "Cameras by state as their site's last heartbeat reported them: online, offline; unknown when the site is not online.", "state");
        _alertsOpen = _factory.CreateGauge("servicehall_alerts_open", "Unresolved alerts by type and state (Open, Acknowledged).", "type", "state");
        _storedSequence = _factory.CreateGauge("servicehall_site_stored_sequence", "Highest event sequence stored per site: how far its outbox has been delivered (the heartbeat carries no outbox depth).", "site");
        _storeUp = _factory.CreateGauge("servicehall_store_up", "1 when the store answers a read and a write, else 0.", "store");
        _storeFreeBytes = _factory.CreateGauge("servicehall_store_free_bytes", "Free disk in the store's data folder.", "store");
        _webhookBacklog = _factory.CreateGauge("servicehall_webhook_backlog", "Alert webhook posts waiting for the receiver.");

        var probes = stores.ToList();
        Registry.AddBeforeCollectCallback(() =>
        {
            lock (_collecting)
            {
                ReadFleet(fleet);
                ReadAlerts(alerts);
                ReadSites(fleet, events);
                ReadStores(probes);
                _webhookBacklog.Set(webhook.Pending);
            }
        });

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && Export(instrument) is { } export)
            {
                listener.EnableMeasurementEvents(instrument, export);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, state) => ((Action<double>)state!)(value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, state) => ((Action<double>)state!)(value));
        _listener.Start();
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Prometheus name of an instrument: dots become underscores, counters end in <c>_total</c>, seconds in <c>_seconds</c>.</summary>
    public static string PrometheusName(Instrument instrument) =>
        instrument.Name.Replace('.', '_') + instrument switch
        {
            Counter<long> or Counter<double> => "_total",
            _ when instrument.Unit == "s" => "_seconds",
            _ => "",
        };

    private Action<double>? Export(Instrument instrument)
    {
        var name = PrometheusName(instrument);
        var help = instrument.Description ?? instrument.Name;
        switch (instrument)
        {
            case Counter<long> or Counter<double>:
                var counter = _factory.CreateCounter(name, help);
                return counter.Inc;
            case Histogram<double>:
                // 1 ms to ~4 s: a group commit with its fsync takes milliseconds; seconds mean a disk in trouble.
                var histogram = _factory.CreateHistogram(name, help, new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 13) });
                return histogram.Observe;
            default:
                return null;
        }
    }

    private void ReadFleet(FleetState fleet)
    {
        var all = fleet.All();
        _recordersConnected.Set(all.Count(s => s.Online));
        _sites.WithLabels("online").Set(all.Count(s => s.Online));
        _sites.WithLabels("reconnecting").Set(all.Count(s => !s.Online && s.Reconnecting));
        _sites.WithLabels("offline").Set(all.Count(s => !s.Online && !s.Reconnecting));
        var cameras = all.SelectMany(s => s.Cameras.Select(c => !s.Online ? "unknown" : c.Online ? "online" : "offline")).ToList();
        foreach (var state in (string[])["online", "offline", "unknown"])
        {
            _cameras.WithLabels(state).Set(cameras.Count(c => c == state));
        }
    }

    private void ReadAlerts(AlertEngine alerts)
    {
        var counts = alerts.List(_ => true, includeResolved: false, int.MaxValue)
            .CountBy(a => (a.Type, a.State))
            .ToDictionary(c => c.Key, c => c.Value);
        // A type whose alerts all ended shows 0 rather than vanishing, so a rate or an alert rule sees it fall.
        _alertLabels.UnionWith(counts.Keys);
        foreach (var label in _alertLabels)
        {
            _alertsOpen.WithLabels(label.Type, label.State).Set(counts.GetValueOrDefault(label));
        }
    }

    private void ReadSites(FleetState fleet, IEventStore events)
    {
        foreach (var site in fleet.All())
        {
            _storedSequence.WithLabels(site.SiteId).Set(events.HighestSequence(site.SiteId));
        }
    }

    private void ReadStores(IReadOnlyList<IStoreProbe> probes)
    {
        foreach (var probe in probes)
        {
            var found = probe.Probe();
            _storeUp.WithLabels(probe.Name).Set(found.Working ? 1 : 0);
            if (found.FreeBytes is { } free)
            {
                _storeFreeBytes.WithLabels(probe.Name).Set(free);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
