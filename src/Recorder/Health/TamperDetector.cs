using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Health;

/// <summary>Measures of one frame that tamper detection judges by.</summary>
public sealed record FrameMeasures(double Brightness, double Contrast, double Sharpness, double Correlation);

/// <summary>
/// Watches each camera's analysis frames for a covered or black lens, heavy blur, and a view moved away from its
/// reference (learnt from the first normal frames, then followed slowly so daylight does not count as a move).
/// A condition that holds for the debounce, in video time, becomes <see cref="CameraTampered"/>; its end, <see cref="CameraTamperCleared"/>.
/// </summary>
public sealed class TamperDetector(IOptions<HealthOptions> options, EventReporter events) : IFrameConsumer
{
    private static readonly Size Thumb = new(160, 90);
    private readonly HealthOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, CameraWatch> _cameras = new(StringComparer.Ordinal);

    public async ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
    {
        if (!_options.TamperDetection)
        {
            return;
        }

        var watch = _cameras.GetOrAdd(frame.CameraId, _ => new CameraWatch());
        var changes = new List<SiteEvent>();
        lock (watch)
        {
            using var thumb = Thumbnail(frame);
            if (watch.Size != (frame.Width, frame.Height))
            {
                // A new resolution is a new view: learn it again rather than call it moved.
                watch.Reset((frame.Width, frame.Height));
            }

            var measures = Measure(thumb, watch.Reference);
            var kinds = Judge(measures, watch);
            Learn(thumb, measures, kinds, watch);
            foreach (var kind in Enum.GetValues<TamperKind>())
            {
                if (watch.Track(kind, kinds.Contains(kind), frame.Timestamp, _options.TamperDebounce) is { } reported)
                {
                    changes.Add(reported
                        ? new CameraTampered { CameraId = frame.CameraId, OccurredAt = frame.Timestamp, Kind = kind, Detail = Describe(measures, watch) }
                        : new CameraTamperCleared { CameraId = frame.CameraId, OccurredAt = frame.Timestamp, Kind = kind });
                }
            }
        }

        foreach (var change in changes)
        {
            await events.ReportAsync(change, change is CameraTampered ? Jpeg.Encode(frame) : null, cancellationToken);
        }
    }

    /// <summary>Brightness, contrast and sharpness of a grey thumbnail, and its correlation with the reference (1 without one).</summary>
    public static FrameMeasures Measure(Mat grey, Mat? reference)
    {
        Cv2.MeanStdDev(grey, out var mean, out var stddev);
        using var laplacian = new Mat();
        Cv2.Laplacian(grey, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out var lapStd);
        var correlation = 1.0;
        if (reference is not null)
        {
            using var result = new Mat();
            Cv2.MatchTemplate(grey, reference, result, TemplateMatchModes.CCoeffNormed);
            correlation = result.At<float>(0, 0);
            if (float.IsNaN((float)correlation))
            {
                correlation = 0;
            }
        }

        return new FrameMeasures(mean.Val0, stddev.Val0, lapStd.Val0 * lapStd.Val0, correlation);
    }

    private HashSet<TamperKind> Judge(FrameMeasures m, CameraWatch watch)
    {
        var kinds = new HashSet<TamperKind>();
        if (m.Contrast < _options.CoveredMaxContrast || (m.Brightness < _options.CoveredMaxBrightness && m.Contrast < 2 * _options.CoveredMaxContrast))
        {
            // A covered lens also looks blurred and moved: report the cause, not its symptoms.
            kinds.Add(TamperKind.Covered);
            return kinds;
        }

        if (watch.Reference is null)
        {
            return kinds;
        }

        if (m.Sharpness < _options.BlurredMaxSharpnessRatio * watch.ReferenceSharpness)
        {
            kinds.Add(TamperKind.Blurred);
        }
        else if (m.Correlation < _options.MovedMaxCorrelation)
        {
            kinds.Add(TamperKind.Moved);
        }

        return kinds;
    }

    private void Learn(Mat thumb, FrameMeasures m, HashSet<TamperKind> kinds, CameraWatch watch)
    {
        if (kinds.Count > 0)
        {
            return;
        }

        if (watch.Reference is null)
        {
            watch.Accumulate(thumb, m.Sharpness, _options.ReferenceFrames);
        }
        else if (m.Correlation > 0.8)
        {
            // Follow slow changes (daylight, a moved chair) so that only a real move stays far from the reference.
            Cv2.AddWeighted(watch.Reference, 0.98, thumb, 0.02, 0, watch.Reference);
            watch.ReferenceSharpness = (0.98 * watch.ReferenceSharpness) + (0.02 * m.Sharpness);
        }
    }

    private static string Describe(FrameMeasures m, CameraWatch watch) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"brightness {m.Brightness:0}, contrast {m.Contrast:0.0}, sharpness {m.Sharpness:0} (reference {watch.ReferenceSharpness:0}), correlation with reference {m.Correlation:0.00}");

    private static Mat Thumbnail(CameraFrame frame)
    {
        using var grey = frame.Grey();
        var small = new Mat();
        Cv2.Resize(grey, small, Thumb, 0, 0, InterpolationFlags.Area);
        return small;
    }

    /// <summary>Per camera: the reference view and each condition's debounce state.</summary>
    private sealed class CameraWatch
    {
        private readonly Dictionary<TamperKind, (bool Reported, DateTimeOffset? Since)> _state = [];
        private Mat? _sum;
        private int _count;
        private double _sharpnessSum;

        public (int Width, int Height) Size { get; private set; }

        public Mat? Reference { get; private set; }

        public double ReferenceSharpness { get; set; }

        public void Reset((int, int) size)
        {
            Size = size;
            Reference?.Dispose();
            Reference = null;
            _sum?.Dispose();
            _sum = null;
            _count = 0;
            _sharpnessSum = 0;
        }

        public void Accumulate(Mat thumb, double sharpness, int needed)
        {
            _sum ??= new Mat(thumb.Size(), MatType.CV_64F, Scalar.All(0));
            Cv2.Accumulate(thumb, _sum, null!);
            _sharpnessSum += sharpness;
            if (++_count < needed)
            {
                return;
            }

            Reference = new Mat();
            _sum.ConvertTo(Reference, MatType.CV_8U, 1.0 / _count);
            ReferenceSharpness = _sharpnessSum / _count;
            _sum.Dispose();
            _sum = null;
        }

        /// <summary>Debounces one condition; returns true when it becomes reported, false when it clears, null otherwise.</summary>
        public bool? Track(TamperKind kind, bool present, DateTimeOffset at, TimeSpan debounce)
        {
            var (reported, since) = _state.GetValueOrDefault(kind);
            if (present == reported)
            {
                _state[kind] = (reported, null);
                return null;
            }

            since ??= at;
            if (at - since.Value >= debounce)
            {
                _state[kind] = (present, null);
                return present;
            }

            _state[kind] = (reported, since);
            return null;
        }
    }
}
