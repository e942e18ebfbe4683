using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mat = OpenCvSharp.Mat;
using MatType = OpenCvSharp.MatType;
using ServiceHall.Recorder.Attendance;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Ties occupancy together in the Recorder: every analysis frame of a camera with windows goes through its
/// <see cref="CameraAnalyser"/>; state changes become events with a snapshot for the outbox, settled time goes to
/// the ledger. Its loop marks a camera's windows Unknown when frames stop arriving.
/// </summary>
public sealed partial class OccupancyService : BackgroundService, IFrameConsumer
{
    private readonly OccupancyOptions _options;
    private readonly HallSchedule _schedule;
    private readonly AttendanceLedger _ledger;
    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger<OccupancyService> _logger;
    private readonly List<(string CameraId, WindowOptions Window)> _configured;
    private readonly Dictionary<string, IReadOnlyList<WindowOptions>> _windows;
    private readonly Dictionary<WindowOptions, IReadOnlySet<DateOnly>> _closedDays;
    private readonly ConcurrentDictionary<string, Camera> _cameras = new(StringComparer.Ordinal);

    public OccupancyService(
        IOptions<OccupancyOptions> options,
        IOptions<CaptureOptions> capture,
        AttendanceLedger ledger,
        IEventSink sink,
        TimeProvider time,
        ILogger<OccupancyService> logger,
        SeatOverrides? seats = null)
    {
        _options = options.Value;
        _schedule = _options.Schedule.Build();
        _ledger = ledger;
        _sink = sink;
        _time = time;
        _logger = logger;
        // Occupancy runs its own copies of the windows: a seat moved at the Console overrides the settings file's here,
        // and the options as bound stay what the settings say.
        var moved = (seats?.All() ?? []).ToDictionary(s => (s.CameraId, s.WindowId), s => s.Polygon());
        var cameras = capture.Value.Cameras.Where(c => c.Windows.Count > 0)
            .Select(c => (c.Id, Windows: (IReadOnlyList<WindowOptions>)[.. c.Windows.Select(w => Configure(w, moved.GetValueOrDefault((c.Id, w.Id))))]))
            .ToList();
        _windows = cameras.ToDictionary(c => c.Id, c => c.Windows, StringComparer.Ordinal);
        _configured = [.. cameras.SelectMany(c => c.Windows.Select(w => (c.Id, w)))];
        // Parsed once here: the ledger needs them with every frame.
        _closedDays = _configured.ToDictionary(x => x.Window, x => (IReadOnlySet<DateOnly>)x.Window.ClosedDays.Select(ScheduleOptions.ParseDate).ToHashSet());
        SingleSignal = !PersonCheck.Available(_options);
        if (SingleSignal && _windows.Count > 0)
        {
            LogSingleSignal(_logger, _options.ResolvedFaceModelPath, _options.ResolvedPoseModelPath);
        }
    }

    /// <summary>Every configured window with the seat in use now, camera by camera as the settings list them.</summary>
    public IReadOnlyList<(string CameraId, WindowOptions Window)> Windows => _configured;

    public HallSchedule Schedule => _schedule;

    /// <summary>The window's inactive threshold in use: its own, or the Occupancy default (reported to the Console with the window).</summary>
    public TimeSpan InactiveThreshold(WindowOptions window) => window.InactiveThreshold ?? _options.InactiveThreshold;

    /// <summary>True when the second signal's models are missing and seats are judged by segmentation alone (for the heartbeat).</summary>
    public bool SingleSignal { get; }

    /// <summary>Switches one window to a new seat polygon without a restart; false (and nothing changes) if this Recorder has no such window.</summary>
    public bool ChangeSeat(string cameraId, string windowId, IReadOnlyList<double[]> seat)
    {
        if (!_windows.TryGetValue(cameraId, out var windows) || windows.FirstOrDefault(w => w.Id == windowId) is not { } window)
        {
            return false;
        }

        // Under the camera's lock (the one its frames are analysed under), so no frame sees half a change.
        _cameras.TryGetValue(cameraId, out var camera);
        lock ((object?)camera ?? window)
        {
            window.Seat = [.. seat.Select(p => new[] { p[0], p[1] })];
            camera?.Analyser.SeatMoved(windowId);
        }

        return true;
    }

    public async ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
    {
        if (!_windows.TryGetValue(frame.CameraId, out var windows))
        {
            return;
        }

        var camera = _cameras.GetOrAdd(frame.CameraId, id => new Camera(new CameraAnalyser(id, windows, _options, _schedule)));
        IReadOnlyList<SeatResult> results;
        lock (camera)
        {
            camera.LastFrameAt = _time.GetUtcNow();
            results = camera.Analyser.Analyse(frame, frame.Timestamp);
        }

        // Colour only for the snapshots of transitions.
        using var bgr = results.Any(r => r.Transitions.Count > 0) ? frame.ToBgr() : null;
        await HandleAsync(frame.CameraId, results, bgr, frame.Timestamp, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var (cameraId, camera) in _cameras)
            {
                try
                {
                    IReadOnlyList<SeatResult> results;
                    lock (camera)
                    {
                        var silent = _time.GetUtcNow() - camera.LastFrameAt;
                        if (silent < _options.FrameTimeout)
                        {
                            continue;
                        }

                        results = camera.Analyser.MarkUnknown($"no frames for {silent.TotalSeconds:0} s");
                    }

                    await HandleAsync(cameraId, results, frame: null, _time.GetUtcNow(), stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // One camera's failure must not stop the others' Unknown checks.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogCheckFailed(_logger, ex, cameraId);
                }
            }
        }
    }

    private async Task HandleAsync(string cameraId, IReadOnlyList<SeatResult> results, Mat? frame, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var result in results)
        {
            var window = result.Window;
            var closed = _ledger.Apply(cameraId, window.Id, _schedule, _closedDays[window], result.Spans, result.Transitions);
            foreach (var transition in result.Transitions)
            {
                var siteEvent = ToEvent(cameraId, window.Id, transition, result.Tracker);
                LogTransition(_logger, cameraId, window.Id, transition.Kind, transition.At, result.Score.Share);
                var snapshot = frame is null ? null : SeatSnapshot.Encode(frame, result.Geometry, result.Tracker.State);
                await PublishAsync(siteEvent, snapshot, ct);
            }

            foreach (var day in closed)
            {
                await PublishAsync(day.ToEvent(now), null, ct);
            }
        }
    }

    private ValueTask PublishAsync(SiteEvent siteEvent, byte[]? snapshot, CancellationToken ct) =>
        _sink.PublishAsync(siteEvent, snapshot, ct);

    /// <summary>The wire event of a tracker transition.</summary>
    public static SiteEvent ToEvent(string cameraId, string windowId, Transition t, WindowTracker tracker) => t.Kind switch
    {
        TransitionKind.Staffed => new WindowStaffed { OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, ArrivedAt = t.Since },
        TransitionKind.Vacated => new WindowVacated { OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, AwaySince = t.Since, LastSeenAt = t.Absence?.LastSeenAt },
        TransitionKind.Unstaffed => new WindowUnstaffed
        {
            OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, AwaySince = t.Since, LastSeenAt = t.Absence?.LastSeenAt, VacatedAt = t.Absence?.VacatedAt,
        },
        TransitionKind.Restaffed => new WindowRestaffed
        {
            OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, AwaySince = tracker.AwaySince, ArrivedAt = t.Since,
            LastSeenAt = t.Absence?.LastSeenAt, VacatedAt = t.Absence?.VacatedAt, UnstaffedAt = t.Absence?.UnstaffedAt,
        },
        TransitionKind.Inactive => new ClerkInactive { OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, InactiveSince = t.Since },
        TransitionKind.Active => new ClerkActive { OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, InactiveSince = t.Since, Reason = t.Ended ?? InactivityEnd.Moved },
        _ => new WindowUnknown { OccurredAt = t.At, CameraId = cameraId, WindowId = windowId, Reason = t.Reason ?? "no frames" },
    };

    private static WindowOptions Configure(WindowOptions settings, List<double[]>? movedSeat)
    {
        var window = settings.Copy();
        if (movedSeat is not null)
        {
            window.Seat = movedSeat;
        }

        return window;
    }

    public override void Dispose()
    {
        foreach (var camera in _cameras.Values)
        {
            camera.Analyser.Dispose();
        }

        base.Dispose();
    }

    private sealed class Camera(CameraAnalyser analyser)
    {
        public CameraAnalyser Analyser { get; } = analyser;

        public DateTimeOffset LastFrameAt { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} window {WindowId}: {Kind} at {At:O} (person share {Share:0.00})")]
    private static partial void LogTransition(ILogger logger, string cameraId, string windowId, TransitionKind kind, DateTimeOffset at, double share);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Occupancy: neither '{FacePath}' nor '{PosePath}' exists; judging seats by segmentation alone (single signal): a dog or a coat may count as a clerk. Run ./hall.sh setup")]
    private static partial void LogSingleSignal(ILogger logger, string facePath, string posePath);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {CameraId}: occupancy check failed; will retry")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string cameraId);
}
