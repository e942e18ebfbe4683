using OpenCvSharp.Dnn;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>Loads a TFLite model into OpenCV's DNN module, on the plain CPU backend every model here uses.</summary>
internal static class ModelNet
{
    // Every camera is analysed on its own thread already. OpenCV's own thread pool on top of that (two threads on a
    // 2-core box) made a model run cost about a fifth more CPU, spent spinning, for no more throughput.
    static ModelNet() => OpenCvSharp.Cv2.SetNumThreads(1);

    /// <summary>The model at <paramref name="path"/>; throws naming <paramref name="what"/> when OpenCV cannot load it.</summary>
    public static Net Load(string path, string what)
    {
        var net = CvDnn.ReadNet(path);
        if (net.Empty())
        {
            net.Dispose();
            throw new InvalidOperationException($"cannot load the {what} model '{path}'");
        }

        net.SetPreferableBackend(Backend.OPENCV);
        net.SetPreferableTarget(Target.CPU);
        return net;
    }
}
