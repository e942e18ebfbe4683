using OpenCvSharp;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// The second signal: is what the segmentation sees at the seat a person? A face centred in the seat polygon says so
/// (the face detector, about 3 ms). The pose model (about 40 ms) runs only when asked for and no face was found: its
/// pose-presence score is high for a clerk who turned away, and just as high for a dog (tools/Eval/CALIBRATION.md),
/// so it may only keep a person already seen (<see cref="PersonConfirmation"/>). Either model's file may be missing:
/// the check uses what it has, and with neither <see cref="Open"/> returns null and the analyser judges by
/// segmentation alone.
/// </summary>
public sealed class PersonCheck : IDisposable
{
    private readonly FaceDetector? _face;
    private readonly PoseScorer? _pose;
    private readonly double _faceThreshold;
    private readonly double _poseThreshold;

    private PersonCheck(FaceDetector? face, PoseScorer? pose, OccupancyOptions options)
    {
        _face = face;
        _pose = pose;
        _faceThreshold = options.FaceThreshold;
        _poseThreshold = options.PoseThreshold;
    }

    /// <summary>Face model runs so far.</summary>
    public long FaceRuns { get; private set; }

    /// <summary>Pose model runs so far.</summary>
    public long PoseRuns { get; private set; }

    /// <summary>Time spent in both models so far (one thread, so about their CPU time).</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>True when at least one of the second signal's model files exists.</summary>
    public static bool Available(OccupancyOptions options) =>
        File.Exists(options.ResolvedFaceModelPath) || File.Exists(options.ResolvedPoseModelPath);

    /// <summary>The check with whichever of its models exist, or null with neither.</summary>
    public static PersonCheck? Open(OccupancyOptions options)
    {
        if (!Available(options))
        {
            return null;
        }

        FaceDetector? face = null;
        try
        {
            face = File.Exists(options.ResolvedFaceModelPath) ? new FaceDetector(options.ResolvedFaceModelPath) : null;
            var pose = File.Exists(options.ResolvedPoseModelPath) ? new PoseScorer(options.ResolvedPoseModelPath) : null;
            return new PersonCheck(face, pose, options);
        }
        catch
        {
            face?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Looks for a person in the seat's colour crop: a face whose centre lies inside the seat polygon, else, when
    /// <paramref name="pose"/> asks for it, a pose.
    /// </summary>
    public PersonEvidence Check(Mat crop, SeatGeometry seat, bool pose)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var face = 0f;
            if (_face is not null)
            {
                FaceRuns++;
                face = _face.Best(crop, (x, y) => seat.Contains(x, y)).Score;
                if (face >= _faceThreshold)
                {
                    return new PersonEvidence(true, face, null);
                }
            }

            if (!pose || _pose is null)
            {
                return new PersonEvidence(false, face, null);
            }

            PoseRuns++;
            var presence = _pose.Presence(crop);
            return new PersonEvidence(presence >= _poseThreshold, face, presence);
        }
        finally
        {
            Elapsed += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        }
    }

    public void Dispose()
    {
        _face?.Dispose();
        _pose?.Dispose();
    }
}

/// <summary>What the second signal said: a person or not, from the face score and, when it ran, the pose-presence score.</summary>
public readonly record struct PersonEvidence(bool Person, float Face, float? Pose);
