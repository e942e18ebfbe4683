using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// MediaPipe selfie segmentation through OpenCV's DNN module: 256x256 RGB in 0..1, a person-probability mask out.
/// One instance per camera; a <see cref="Net"/> is not safe to share between threads.
/// </summary>
public sealed class PersonScorer(string modelPath) : IDisposable
{
    public const int InputSide = 256;
    private readonly Net _net = ModelNet.Load(modelPath, "segmentation");

    /// <summary>Person probability per pixel of <paramref name="bgr"/>, as a CV_32F mask of the same size.</summary>
    public Mat Segment(Mat bgr)
    {
        using var square = Forward(bgr);
        var mask = new Mat();
        Cv2.Resize(square, mask, bgr.Size(), interpolation: InterpolationFlags.Linear);
        return mask;
    }

    /// <summary>
    /// Share of the seat polygon covered by person pixels, and how many separate people touch it, counted on the
    /// model's own 256x256 output against the polygon drawn at that scale (<see cref="SeatGeometry.Mask"/>).
    /// </summary>
    public SeatScore Score(Mat crop, SeatGeometry seat, double maskThreshold)
    {
        using var probability = Forward(crop);
        using var person = new Mat();
        Cv2.Threshold(probability, person, maskThreshold, 255, ThresholdTypes.Binary);
        using var person8 = new Mat();
        person.ConvertTo(person8, MatType.CV_8UC1);
        using var inside = new Mat();
        Cv2.BitwiseAnd(person8, seat.Mask, inside);
        var share = Cv2.CountNonZero(inside) / (double)seat.MaskPixels;
        return new SeatScore(share, CountPeople(inside, seat.MaskPixels));
    }

    /// <summary>The model's person probabilities for <paramref name="bgr"/> stretched to its square input: 256x256 CV_32F.</summary>
    private Mat Forward(Mat bgr)
    {
        using var blob = CvDnn.BlobFromImage(bgr, 1.0 / 255, new Size(InputSide, InputSide), new Scalar(0, 0, 0), swapRB: true, crop: false);
        _net.SetInput(blob);
        using var output = _net.Forward();
        // The output is 1x256x256x1 (or 1x1x256x256): either way 256*256 floats in row order.
        using var square = Mat.FromPixelData(InputSide, InputSide, MatType.CV_32FC1, output.Data);
        return square.Clone();
    }

    private static int CountPeople(Mat inside, int seatPixels)
    {
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(inside, labels, stats, centroids);
        var people = 0;
        for (var i = 1; i < n; i++)
        {
            // A blob smaller than 5 % of the seat is a hand or an arm from a neighbour, not a person.
            if (stats.At<int>(i, (int)ConnectedComponentsTypes.Area) >= seatPixels * 0.05)
            {
                people++;
            }
        }

        return people;
    }

    public void Dispose() => _net.Dispose();
}

/// <summary>What the model saw at a seat: <paramref name="Share"/> of the polygon is person pixels, in <paramref name="People"/> separate blobs.</summary>
public readonly record struct SeatScore(double Share, int People);
