using OpenCvSharp;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Decides whether a crop is worth the model: it changed since the last scored crop, or a confirmation is due.
/// The comparison runs on a 32x32 grey thumbnail, which costs microseconds and ignores sensor noise. Changes are
/// measured against the last scored crop, not the previous frame, so a slow change adds up until it wakes the model.
/// </summary>
public sealed class ChangeGate(TimeSpan confirmInterval) : IDisposable
{
    private const int Side = 32;

    /// <summary>
    /// Video luma spans 16..235 (BT.601 limited range, as ffmpeg's yuv420p and OpenCV's I420 carry it); scaled to 0..255
    /// the thresholds keep the grey-level units they were calibrated in (tools/Eval/CALIBRATION.md).
    /// </summary>
    private const double LumaToGrey = 255.0 / 219;
    private readonly Mat _reference = new();
    private readonly Mat _thumb = new();
    private DateTimeOffset? _lastScoredAt;

    /// <summary>
    /// True if the model should run on this grey crop: its mean grey-level change exceeds <paramref name="threshold"/>
    /// (0..255) or a confirmation is due. Call <see cref="Scored"/> when it ran.
    /// </summary>
    public bool ShouldScore(Mat greyCrop, DateTimeOffset at, double threshold)
    {
        var change = ChangeFromScored(greyCrop);
        return _lastScoredAt is not { } last || at - last >= confirmInterval || at < last || change > threshold;
    }

    /// <summary>
    /// Mean absolute grey-level change (0..255) of this grey crop from the last scored one (infinite before the first);
    /// <see cref="Scored"/> then keeps this crop as the reference.
    /// </summary>
    public double ChangeFromScored(Mat greyCrop)
    {
        Cv2.Resize(greyCrop, _thumb, new Size(Side, Side), interpolation: InterpolationFlags.Area);

        if (_reference.Empty())
        {
            return double.PositiveInfinity;
        }

        using var diff = new Mat();
        Cv2.Absdiff(_thumb, _reference, diff);
        return Cv2.Mean(diff).Val0 * LumaToGrey;
    }

    public void Scored(DateTimeOffset at)
    {
        _thumb.CopyTo(_reference);
        _lastScoredAt = at;
    }

    public void Dispose()
    {
        _reference.Dispose();
        _thumb.Dispose();
    }
}
