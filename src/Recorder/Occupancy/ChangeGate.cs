using OpenCvSharp;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Decides whether a crop is worth the model: it changed since the last scored crop, or a confirmation is due.
/// The comparison runs on a 32x32 grey thumbnail, which costs microseconds and ignores sensor noise.
/// </summary>
public sealed class ChangeGate(double threshold, TimeSpan confirmInterval) : IDisposable
{
    private const int Side = 32;
    private readonly Mat _reference = new();
    private readonly Mat _thumb = new();
    private DateTimeOffset? _lastScoredAt;

    /// <summary>True if the model should run on this crop; call <see cref="Scored"/> when it did.</summary>
    public bool ShouldScore(Mat crop, DateTimeOffset at)
    {
        using (var grey = new Mat())
        {
            Cv2.CvtColor(crop, grey, ColorConversionCodes.BGR2GRAY);
            Cv2.Resize(grey, _thumb, new Size(Side, Side), interpolation: InterpolationFlags.Area);
        }

        if (_lastScoredAt is not { } last || _reference.Empty() || at - last >= confirmInterval || at < last)
        {
            return true;
        }

        using var diff = new Mat();
        Cv2.Absdiff(_thumb, _reference, diff);
        return Cv2.Mean(diff).Val0 > threshold;
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
