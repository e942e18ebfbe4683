using OpenCvSharp;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Measures movement at a seat for <see cref="InactivityTracker"/>: the share of a blurred 48x48 grey thumbnail of the
/// seat polygon's bounding box whose pixels differ from the reference by more than a noise level. The reference is the
/// last frame that showed movement, not simply the previous frame, so a slow drift (a reader leaning in over half a
/// minute) adds up until it counts, while sensor noise and compression, which do not add up, stay below the level
/// (calibrated in tools/Eval/CALIBRATION.md). Costs a few microseconds a frame.
/// </summary>
public sealed class ActivityMeter : IDisposable
{
    private const int Side = 48;
    private Mat? _reference;
    private readonly Mat _thumb = new();

    /// <summary>
    /// The share (0..1) of thumbnail pixels of <paramref name="grey"/>'s <paramref name="box"/> that changed by more than
    /// <paramref name="noiseLevel"/> grey levels from the reference; 1 when there is no reference yet.
    /// </summary>
    public double Measure(Mat grey, Rect box, double noiseLevel)
    {
        using (var region = new Mat(grey, box))
        {
            Cv2.Resize(region, _thumb, new Size(Side, Side), interpolation: InterpolationFlags.Area);
        }

        Cv2.GaussianBlur(_thumb, _thumb, new Size(5, 5), 0);
        if (_reference is null)
        {
            return 1;
        }

        using var diff = new Mat();
        Cv2.Absdiff(_thumb, _reference, diff);
        Cv2.Threshold(diff, diff, noiseLevel, 255, ThresholdTypes.Binary);
        return Cv2.CountNonZero(diff) / (double)(Side * Side);
    }

    /// <summary>The last measured frame showed movement: later frames are compared with it.</summary>
    public void Moved() => _thumb.CopyTo(_reference ??= new Mat());

    /// <summary>Forgets the reference (the seat was not watched; the next measure starts afresh).</summary>
    public void Reset()
    {
        _reference?.Dispose();
        _reference = null;
    }

    public void Dispose()
    {
        _reference?.Dispose();
        _thumb.Dispose();
    }
}
