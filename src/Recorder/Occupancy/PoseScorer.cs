using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// MediaPipe's pose landmark model (BlazePose GHUM lite, 256x256 RGB in 0..1) through OpenCV's DNN module. Of its five
/// outputs (<c>Identity</c>: 39 landmarks x (x, y, z, visibility, presence) in input pixels; <c>Identity_1</c>: the
/// pose-presence score, already a probability; <c>Identity_2</c>: a 256x256 segmentation logit map; <c>Identity_3</c>:
/// 39 heatmaps of 64x64; <c>Identity_4</c>: 39 world landmarks) only the presence score is used: on seat crops the
/// landmarks' visibilities are near 1 for anything, person or not (tools/Eval/CALIBRATION.md).
/// One instance per camera; a <see cref="Net"/> is not safe to share between threads.
/// </summary>
public sealed class PoseScorer(string modelPath) : IDisposable
{
    public const int InputSide = 256;
    private const string PresenceOutput = "Identity_1";
    private readonly Net _net = ModelNet.Load(modelPath, "pose");

    /// <summary>The model's pose-presence probability (0..1) for <paramref name="bgr"/> stretched to its square input.</summary>
    public float Presence(Mat bgr)
    {
        using var blob = CvDnn.BlobFromImage(bgr, 1.0 / 255, new Size(InputSide, InputSide), new Scalar(0, 0, 0), swapRB: true, crop: false);
        _net.SetInput(blob);
        // Forward to the presence output only still runs the shared trunk, which is nearly all of the cost.
        using var presence = _net.Forward(PresenceOutput);
        return presence.At<float>(0);
    }

    public void Dispose() => _net.Dispose();
}
