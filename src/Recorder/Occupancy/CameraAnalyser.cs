using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// The production analysis of one camera: per window, crop the seat, gate, score, and track on video time.
/// The Recorder and the accuracy harness both run exactly this class. Not thread-safe: callers serialise.
/// </summary>
public sealed class CameraAnalyser : IDisposable
{
    private readonly OccupancyOptions _options;
    private readonly PersonScorer _scorer;
    private readonly PersonCheck? _personCheck;
    private readonly List<Seat> _seats;

    public CameraAnalyser(string cameraId, IReadOnlyList<WindowOptions> windows, OccupancyOptions options, HallSchedule schedule)
    {
        CameraId = cameraId;
        _options = options;
        _scorer = new PersonScorer(options.ResolvedModelPath);
        _personCheck = PersonCheck.Open(options);
        _seats = [.. windows.Select(w => new Seat(w, options, schedule))];
    }

    public string CameraId { get; }

    /// <summary>True when no second-signal model could be found: presence is judged by segmentation alone.</summary>
    public bool SingleSignal => _personCheck is null;

    /// <summary>Segmentation model runs so far (for the benchmark and diagnostics).</summary>
    public long ModelRuns { get; private set; }

    /// <summary>Face and pose model runs so far, and the time spent in them.</summary>
    public (long Face, long Pose, TimeSpan Elapsed) PersonModelRuns =>
        _personCheck is null ? default : (_personCheck.FaceRuns, _personCheck.PoseRuns, _personCheck.Elapsed);

    public long SeatFrames { get; private set; }

    public IEnumerable<WindowOptions> Windows => _seats.Select(s => s.Window);

    /// <summary>
    /// Analyses one frame at video time <paramref name="at"/>; returns one result per window. The gate looks at the grey
    /// (Y) plane; only a crop the model will see is converted to colour.
    /// </summary>
    public IReadOnlyList<SeatResult> Analyse(CameraFrame frame, DateTimeOffset at)
    {
        var results = new List<SeatResult>(_seats.Count);
        using var grey = frame.Grey();
        foreach (var seat in _seats)
        {
            var geometry = seat.GeometryFor(frame.Width, frame.Height, _options.CropMargin);
            using var greyCrop = new Mat(grey, geometry.Crop);
            SeatFrames++;
            Mat? crop = null;
            try
            {
                if (seat.Gate.ShouldScore(greyCrop, at, ChangeThreshold(seat)))
                {
                    crop = frame.CropToBgr(geometry.Crop);
                    seat.LastScore = _scorer.Score(crop, geometry, _options.MaskThreshold);
                    seat.Gate.Scored(at);
                    ModelRuns++;
                }

                var smoothed = seat.Smooth(seat.LastScore, at, _options.SmoothingFrames, _options.MaxFrameGap);
                var present = seat.Window.Headcount <= 1
                    ? smoothed.Share >= _options.PresenceThreshold
                    : smoothed.People >= seat.Window.Headcount;
                PersonEvidence? evidence = null;
                // A seat for several people is judged by the count of person blobs; one face would not confirm a count.
                if (_personCheck is not null && seat.Window.Headcount == 1 && seat.Window.PersonCheck)
                {
                    (present, evidence) = Confirm(_personCheck, seat, present, at, () => crop ??= frame.CropToBgr(geometry.Crop), geometry);
                }

                var transitions = new List<Transition>();
                var spans = new List<StateSpan>();
                seat.Tracker.Observe(at, present, transitions, spans);
                var activity = seat.ObserveActivity(grey, geometry, at, _options, transitions);
                results.Add(new SeatResult(seat.Window, geometry, seat.LastScore, present, seat.Tracker, transitions, spans) { Evidence = evidence, Activity = activity });
            }
            finally
            {
                crop?.Dispose();
            }
        }

        return results;
    }

    /// <summary>
    /// The segmentation verdict <paramref name="present"/> combined with the second signal (<see cref="PersonConfirmation"/>);
    /// a model runs only when its answer could change the verdict. <paramref name="crop"/> gives the seat's colour crop.
    /// </summary>
    private static (bool Present, PersonEvidence? Evidence) Confirm(
        PersonCheck check, Seat seat, bool present, DateTimeOffset at, Func<Mat> crop, SeatGeometry geometry)
    {
        PersonEvidence? evidence = null;
        if (!present && seat.Person.Confirmed)
        {
            // The segmentation lost a confirmed person (half hidden behind a monitor, a mask that collapsed in low
            // light): a face still in the seat holds the stay. Only a face: the pose model says yes to a dog.
            evidence = check.Check(crop(), geometry, pose: false);
            present = evidence.Value.Person;
            if (present)
            {
                seat.Person.Checked(true, at);
            }
        }

        if (seat.Person.Due(present, at))
        {
            evidence = check.Check(crop(), geometry, pose: seat.Person.Confirmed);
            seat.Person.Checked(evidence.Value.Person, at);
        }

        return (present && seat.Person.Confirmed, evidence);
    }

    /// <summary>
    /// How much the crop must change to wake the model. After a decisive score (at least twice the presence threshold,
    /// or at most a third of it) a moving clerk or sensor noise is not worth a model run; someone arriving or leaving
    /// changes the crop far more (see tools/Eval/CALIBRATION.md). Seats for several people always use the fine threshold.
    /// </summary>
    private double ChangeThreshold(Seat seat)
    {
        var share = seat.LastScore.Share;
        var decisive = share >= 2 * _options.PresenceThreshold || share <= _options.PresenceThreshold / 3;
        return decisive && seat.Window.Headcount == 1 ? _options.DecisiveChangeThreshold : _options.ChangeThreshold;
    }

    /// <summary>
    /// The window's seat polygon (<see cref="WindowOptions.Seat"/>) was replaced: its crop, gate and recent scores
    /// start afresh on the next frame, while its tracker keeps its state so a moved seat raises no event by itself.
    /// </summary>
    public void SeatMoved(string windowId) => _seats.Find(s => s.Window.Id == windowId)?.Restart(_options);

    /// <summary>No frames: every window of the camera becomes Unknown (once).</summary>
    public IReadOnlyList<SeatResult> MarkUnknown(string reason)
    {
        var results = new List<SeatResult>(_seats.Count);
        foreach (var seat in _seats)
        {
            var transitions = new List<Transition>();
            var spans = new List<StateSpan>();
            seat.Tracker.MarkUnknown(reason, transitions, spans);
            if (seat.Tracker.LastFrame is { } last)
            {
                seat.Inactivity.End(last, InactivityEnd.NoFrames, transitions);
            }

            if (transitions.Count > 0 || spans.Count > 0)
            {
                results.Add(new SeatResult(seat.Window, seat.Geometry, seat.LastScore, false, seat.Tracker, transitions, spans));
            }
        }

        return results;
    }

    public void Dispose()
    {
        _scorer.Dispose();
        _personCheck?.Dispose();
        foreach (var seat in _seats)
        {
            seat.Dispose();
        }
    }

    private sealed class Seat(WindowOptions window, OccupancyOptions options, HallSchedule schedule) : IDisposable
    {
        public WindowOptions Window { get; } = window;

        public ChangeGate Gate { get; private set; } = new(options.ConfirmInterval);

        private readonly Func<DateTimeOffset, bool> _isOpen = OpenCheck(schedule, window);
        private readonly ActivityMeter _activity = new();

        public WindowTracker Tracker { get; } = new(
            new TrackerTimings(window.EntryDebounce, window.ExitDebounce, window.LeaveThreshold, options.MaxFrameGap),
            OpenCheck(schedule, window));

        public InactivityTracker Inactivity { get; } = new(window.InactiveThreshold ?? options.InactiveThreshold);

        public SeatGeometry? Geometry { get; private set; }

        public SeatScore LastScore { get; set; }

        public PersonConfirmation Person { get; } = new(options.PersonConfirmInterval);

        // Frames further apart than this are not smoothed together (1 fps with jitter passes, a 2 s GOP's key frames do not).
        private static readonly TimeSpan SmoothedFrameInterval = TimeSpan.FromSeconds(1.5);

        private readonly Queue<SeatScore> _recent = new();
        private DateTimeOffset _recentAt;

        /// <summary>
        /// The median of the last <paramref name="frames"/> scores: one odd frame (noise, a compression glitch) does not
        /// flip the verdict. Only while frames come at the analysis rate: from key frames of a 2 s or 4 s GOP three
        /// frames span 4 to 8 s, and the median held every departure one or two GOPs longer (at a 4 s GOP departures
        /// seen up to 12 s late, lowest agreement 0.86 on the clip set; each frame judged alone: 8 s, 0.95, no false
        /// Vacated or missed absence added; tools/Eval/CALIBRATION.md), while the tracker's debounces, in seconds, still
        /// filter a single odd frame.
        /// </summary>
        public SeatScore Smooth(SeatScore score, DateTimeOffset at, int frames, TimeSpan maxGap)
        {
            if (_recent.Count > 0 && (at - _recentAt > maxGap || at - _recentAt > SmoothedFrameInterval || at < _recentAt))
            {
                _recent.Clear();
            }

            _recentAt = at;
            _recent.Enqueue(score);
            while (_recent.Count > Math.Max(1, frames))
            {
                _recent.Dequeue();
            }

            var byShare = _recent.OrderBy(s => s.Share).ToList();
            var byPeople = _recent.OrderBy(s => s.People).ToList();
            return new SeatScore(byShare[byShare.Count / 2].Share, byPeople[byPeople.Count / 2].People);
        }

        /// <summary>
        /// Measures movement in the seat while the window is Staffed and open, and feeds it to <see cref="Inactivity"/>;
        /// returns the moved share (null when not watched).
        /// </summary>
        public double? ObserveActivity(Mat grey, SeatGeometry geometry, DateTimeOffset at, OccupancyOptions options, List<Transition> transitions)
        {
            // A hole in video time made the window Unknown on this frame: a stretch ends where the frames stopped, so
            // the hole is never counted as inactive time.
            if (transitions.Find(t => t.Kind == TransitionKind.Unknown) is { Kind: TransitionKind.Unknown } lost)
            {
                Inactivity.End(lost.At, InactivityEnd.NoFrames, transitions);
            }

            var open = _isOpen(at);
            double? share = null;
            if (Tracker.State == WindowState.Staffed && open && geometry.Box.Width > 0 && geometry.Box.Height > 0)
            {
                share = _activity.Measure(grey, geometry.Box, options.ActivityNoiseLevel);
                if (share >= options.ActivityShare)
                {
                    _activity.Moved();
                }
            }
            else
            {
                _activity.Reset();
            }

            Inactivity.Observe(at, Tracker.State, open, share >= options.ActivityShare, transitions);
            return share;
        }

        public void Restart(OccupancyOptions options)
        {
            Geometry?.Dispose();
            Geometry = null;
            Gate.Dispose();
            Gate = new ChangeGate(options.ConfirmInterval);
            _recent.Clear();
            Person.Reset();
            _activity.Reset();
        }

        public SeatGeometry GeometryFor(int width, int height, double margin)
        {
            if (Geometry is null || !Geometry.Fits(width, height))
            {
                Geometry?.Dispose();
                Geometry = new SeatGeometry(Window.Seat, width, height, margin);
            }

            return Geometry;
        }

        private static Func<DateTimeOffset, bool> OpenCheck(HallSchedule schedule, WindowOptions window)
        {
            var closed = window.ClosedDays.Select(ScheduleOptions.ParseDate).ToHashSet();
            return at => schedule.IsOpen(at, closed);
        }

        public void Dispose()
        {
            Gate.Dispose();
            Geometry?.Dispose();
            _activity.Dispose();
        }
    }
}

/// <summary>One window's outcome for one frame (or for a loss of frames).</summary>
public sealed record SeatResult(
    WindowOptions Window,
    SeatGeometry? Geometry,
    SeatScore Score,
    bool Present,
    WindowTracker Tracker,
    IReadOnlyList<Transition> Transitions,
    IReadOnlyList<StateSpan> Spans)
{
    /// <summary>What the second signal said, on the frames it ran.</summary>
    public PersonEvidence? Evidence { get; init; }

    /// <summary>The share of the seat that moved since the last movement, on frames the window was watched for inactivity.</summary>
    public double? Activity { get; init; }
}
