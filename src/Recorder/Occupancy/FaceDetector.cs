using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// MediaPipe's short-range face detector (BlazeFace, 128x128 RGB in -1..1) through OpenCV's DNN module: 896 anchors,
/// each a face score (logit) and a box relative to its anchor. Decoded as MediaPipe's own graph decodes it
/// (face_detection_short_range.pbtxt: SSD anchors on strides 8, 16, 16, 16, fixed size, offset 0.5).
/// One instance per camera; a <see cref="Net"/> is not safe to share between threads.
/// </summary>
public sealed class FaceDetector(string modelPath) : IDisposable
{
    public const int InputSide = 128;
    private static readonly (float X, float Y)[] Anchors = BuildAnchors();
    private static readonly string[] OutputNames = ["classificators", "regressors"];
    private readonly Net _net = ModelNet.Load(modelPath, "face");

    /// <summary>
    /// The most likely face whose centre lies where <paramref name="accept"/> says (in 0..1 coordinates of
    /// <paramref name="bgr"/>), or a zero score when there is none.
    /// </summary>
    public Face Best(Mat bgr, Func<float, float, bool> accept)
    {
        using var blob = CvDnn.BlobFromImage(bgr, 2.0 / 255, new Size(InputSide, InputSide), new Scalar(127.5, 127.5, 127.5), swapRB: true, crop: false);
        _net.SetInput(blob);
        var outputs = new[] { new Mat(), new Mat() };
        try
        {
            _net.Forward(outputs, OutputNames);
            var scores = Floats(outputs[0]);
            var boxes = Floats(outputs[1]);
            var best = default(Face);
            for (var i = 0; i < Anchors.Length; i++)
            {
                var score = Sigmoid(Math.Clamp(scores[i], -100, 100));
                if (score <= best.Score)
                {
                    continue;
                }

                var x = (boxes[i * 16] / InputSide) + Anchors[i].X;
                var y = (boxes[(i * 16) + 1] / InputSide) + Anchors[i].Y;
                if (accept(x, y))
                {
                    best = new Face(score, x, y, boxes[(i * 16) + 2] / InputSide, boxes[(i * 16) + 3] / InputSide);
                }
            }

            return best;
        }
        finally
        {
            outputs[0].Dispose();
            outputs[1].Dispose();
        }
    }

    private static float[] Floats(Mat output)
    {
        var values = new float[(int)output.Total()];
        System.Runtime.InteropServices.Marshal.Copy(output.Data, values, 0, values.Length);
        return values;
    }

    private static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>Anchor centres in the order of the model's outputs: 16x16 cells with 2 anchors, then 8x8 cells with 6.</summary>
    private static (float X, float Y)[] BuildAnchors()
    {
        var anchors = new List<(float, float)>(896);
        foreach (var (grid, perCell) in new[] { (16, 2), (8, 6) })
        {
            for (var y = 0; y < grid; y++)
            {
                for (var x = 0; x < grid; x++)
                {
                    for (var k = 0; k < perCell; k++)
                    {
                        anchors.Add(((x + 0.5f) / grid, (y + 0.5f) / grid));
                    }
                }
            }
        }

        return [.. anchors];
    }

    public void Dispose() => _net.Dispose();
}

/// <summary>A detected face: its score (0..1) and box (centre and size) in 0..1 coordinates of the image it was found in.</summary>
public readonly record struct Face(float Score, float X, float Y, float Width, float Height);
