using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Fleet;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Monitor;

/// <summary>
/// Pushes window state changes and site statuses to screens in batches: whatever changed within one push interval
/// goes out as one message per group. A city's burst of events, and its 550 heartbeats a second, then cost a message
/// per screen per interval instead of one per change per screen (20,000 changes to 20 screens were 400,000 sends).
/// Alerts do not wait for this: <see cref="MonitorBroadcaster"/> pushes them at once.
/// </summary>
public sealed partial class MonitorPushes(IHubContext<MonitorHub, IMonitorClient> monitors, IOptions<FleetOptions> options, TimeProvider time, ILogger<MonitorPushes> logger) : BackgroundService
{
    private readonly Channel<WindowStateChanged> _windows = Channel.CreateUnbounded<WindowStateChanged>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SiteStatusChanged> _sites = Channel.CreateUnbounded<SiteStatusChanged>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(WindowStateChanged change) => _windows.Writer.TryWrite(change);

    public void Add(SiteStatusChanged status) => _sites.Writer.TryWrite(status);

    /// <summary>
    /// Who receives which part of a batch: "all" everything, each district and each site its own changes, in order. A
    /// screen is in one kind of group only (<see cref="MonitorHub"/>), so no change reaches a screen twice.
    /// </summary>
    public static IEnumerable<(string Group, IReadOnlyList<T> Changes)> Audiences<T>(IReadOnlyList<T> changes, Func<T, string> siteOf, Func<T, string> districtOf)
    {
        yield return (Groups.AllSites, changes);
        foreach (var district in changes.GroupBy(districtOf, StringComparer.Ordinal))
        {
            yield return (Groups.District(district.Key), [.. district]);
        }

        foreach (var site in changes.GroupBy(siteOf, StringComparer.Ordinal))
        {
            yield return (Groups.Site(site.Key), [.. site]);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        PushAsync(_windows.Reader, w => w.SiteId, w => w.District, (group, list) => monitors.Clients.Group(group).WindowStatesChanged(new WindowStatesChanged(list)), stoppingToken),
        PushAsync(_sites.Reader, s => s.SiteId, s => s.District, (group, list) => monitors.Clients.Group(group).SiteStatusesChanged(new SiteStatusesChanged(list)), stoppingToken));

    private async Task PushAsync<T>(ChannelReader<T> reader, Func<T, string> siteOf, Func<T, string> districtOf, Func<string, IReadOnlyList<T>, Task> send, CancellationToken stoppingToken)
    {
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // The first change opens the interval; everything arriving within it travels together.
                await Task.Delay(options.Value.PushInterval, time, stoppingToken);
                var changes = new List<T>();
                while (reader.TryRead(out var change))
                {
                    changes.Add(change);
                }

                foreach (var (group, batch) in Audiences(changes, siteOf, districtOf))
                {
                    try
                    {
                        await send(group, batch);
                    }
#pragma warning disable CA1031 // One group's failed push must not stop the others or the loop; the state stays readable.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        LogPushFailed(logger, typeof(T).Name, group, batch.Count, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing {Count} {Kind} to {Group} failed: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string kind, string group, int count, string reason);
}
