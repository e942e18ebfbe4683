using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>
/// Pushes window state changes to screens in batches: whatever changed within one push interval goes out as one
/// <see cref="WindowStatesChanged"/> per group. A burst of a city's events then costs a message per screen per
/// interval instead of one per change per screen (20,000 changes to 20 screens were 400,000 sends).
/// </summary>
public sealed partial class WindowPushes(IHubContext<MonitorHub, IMonitorClient> monitors, IOptions<FleetOptions> options, TimeProvider time, ILogger<WindowPushes> logger) : BackgroundService
{
    private readonly Channel<WindowStateChanged> _changes = Channel.CreateUnbounded<WindowStateChanged>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(WindowStateChanged change) => _changes.Writer.TryWrite(change);

    /// <summary>
    /// Who receives which part of a batch: "all" everything, each district and each site its own changes. A screen is
    /// in one kind of group only (<see cref="MonitorHub"/>), so no change reaches a screen twice.
    /// </summary>
    public static IEnumerable<(string Group, WindowStatesChanged Batch)> Audiences(IReadOnlyList<WindowStateChanged> changes)
    {
        yield return (Groups.AllSites, new WindowStatesChanged(changes));
        foreach (var district in changes.GroupBy(c => c.District, StringComparer.Ordinal))
        {
            yield return (Groups.District(district.Key), new WindowStatesChanged([.. district]));
        }

        foreach (var site in changes.GroupBy(c => c.SiteId, StringComparer.Ordinal))
        {
            yield return (Groups.Site(site.Key), new WindowStatesChanged([.. site]));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _changes.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // The first change opens the interval; everything arriving within it travels together.
                await Task.Delay(options.Value.WindowPushInterval, time, stoppingToken);
                var changes = new List<WindowStateChanged>();
                while (reader.TryRead(out var change))
                {
                    changes.Add(change);
                }

                foreach (var (group, batch) in Audiences(changes))
                {
                    try
                    {
                        await monitors.Clients.Group(group).WindowStatesChanged(batch);
                    }
#pragma warning disable CA1031 // One group's failed push must not stop the others or the loop; the states stay on the board.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        LogPushFailed(logger, group, batch.Windows.Count, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing {Count} window changes to {Group} failed: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string group, int count, string reason);
}
