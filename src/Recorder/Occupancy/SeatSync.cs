using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Keeps the Console's picture of this hall's windows true: reports them on every connect and after each change,
/// and applies the seat changes the Console sends (checked, persisted, switched live), answering each one.
/// </summary>
public sealed partial class SeatSync : BackgroundService
{
    private readonly ConsoleLink _link;
    private readonly SeatOverrides _overrides;
    private readonly OccupancyService _occupancy;
    private readonly HallHours _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger<SeatSync> _logger;
    private readonly Wakeup _wakeup = new();
    private readonly ConcurrentQueue<SeatChangeApplied> _answers = new();
    private readonly Lock _apply = new();

    public SeatSync(ConsoleLink link, SeatOverrides overrides, OccupancyService occupancy, IOptions<OccupancyOptions> occupancyOptions, TimeProvider time, ILogger<SeatSync> logger)
    {
        _schedule = HallHours.From(occupancyOptions.Value.Schedule);
        _link = link;
        _overrides = overrides;
        _occupancy = occupancy;
        _time = time;
        _logger = logger;
        // A handler must not wait on the hub (it would hold up the connection's receive loop): the answer is queued for the loop.
        link.Connection.On<SeatChangeRequested>(nameof(IRecorderClient.ChangeSeat), request =>
        {
            _answers.Enqueue(Apply(request));
            _wakeup.Signal();
        });
        link.Connection.Closed += _ =>
        {
            _wakeup.Signal();
            return Task.CompletedTask;
        };
    }

    /// <summary>Applies a seat change: checks the polygon and the window, persists it over the settings file, switches the analyser.</summary>
    public SeatChangeApplied Apply(SeatChangeRequested request)
    {
        SeatChangeApplied Refuse(string reason)
        {
            LogRefused(_logger, request.CameraId, request.WindowId, reason);
            return new SeatChangeApplied(request.ChangeId, request.CameraId, request.WindowId, false, reason);
        }

        if (SeatPolygon.Check(request.Seat) is { } problem)
        {
            return Refuse(problem);
        }

        lock (_apply)
        {
            if (!_occupancy.ChangeSeat(request.CameraId, request.WindowId, request.Seat))
            {
                return Refuse($"this Recorder has no window '{request.WindowId}' on camera '{request.CameraId}'");
            }

            _overrides.Save(request.CameraId, request.WindowId, request.Seat, request.ChangeId);
        }

        LogApplied(_logger, request.CameraId, request.WindowId, request.Seat.Count, request.RequestedBy);
        return new SeatChangeApplied(request.ChangeId, request.CameraId, request.WindowId, true, null);
    }

    /// <summary>Every configured window with the seat in use now, and the hall's schedule.</summary>
    public WindowsReported Report()
    {
        lock (_apply)
        {
            return new WindowsReported(
                [.. _occupancy.Windows.Select(x => new WindowConfigured(
                    x.CameraId, x.Window.Id, x.Window.Name, [.. x.Window.Departments], [.. x.Window.Seat.Select(p => new[] { p[0], p[1] })],
                    x.Window.Headcount, x.Window.EntryDebounce, x.Window.ExitDebounce, x.Window.LeaveThreshold, [.. x.Window.ClosedDays],
                    _occupancy.InactiveThreshold(x.Window)))],
                _schedule);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _link.WaitConnectedAsync(stoppingToken);
                while (_answers.TryPeek(out var answer))
                {
                    await _link.Connection.InvokeAsync(nameof(IRecorderHub.SeatChangeApplied), answer, stoppingToken);
                    _answers.TryDequeue(out _);
                }

                await _link.Connection.InvokeAsync(nameof(IRecorderHub.ReportWindows), Report(), stoppingToken);
                // Woken by a seat change or a lost connection; the hourly report only guards against a report lost on the way.
                await _wakeup.WaitAsync(TimeSpan.FromHours(1), _time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Not delivered: sent again once the link is back; the loop never dies.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSendFailed(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override void Dispose()
    {
        _wakeup.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} window {WindowId}: seat of {Points} points applied (set by {RequestedBy})")]
    private static partial void LogApplied(ILogger logger, string cameraId, string windowId, int points, string requestedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {CameraId} window {WindowId}: seat change refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string cameraId, string windowId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Windows not reported to the Console: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);
}
