using System.Globalization;

namespace ServiceHall.Recorder.Capture;

/// <summary>Pure rules of a camera's sub stream (<c>AnalysisUrl</c>).</summary>
public static class SubStream
{
    // 640x360 for 1920x1080 is exact; 2 % leaves room for sizes rounded to a multiple of 8 or 16 (e.g. 704x400).
    private const double AspectTolerance = 0.02;

    /// <summary>
    /// Why the sub stream cannot feed the analysis of a camera whose main stream is <paramref name="main"/>, or null
    /// when it can. Seat polygons are drawn in coordinates normalised to the frame, on the main stream's picture: on a
    /// sub stream of another shape (4:3 or 5:4 for a 16:9 main, as many cameras ship their sub stream) they would
    /// fall on other places of the hall.
    /// </summary>
    public static string? Refusal(StreamInfo main, StreamInfo sub)
    {
        var mainAspect = (double)main.Width / main.Height;
        var subAspect = (double)sub.Width / sub.Height;
        return Math.Abs(subAspect - mainAspect) / mainAspect <= AspectTolerance
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"sub stream {sub.Width}x{sub.Height} ({subAspect:0.###}:1) has another shape than the main stream {main.Width}x{main.Height} ({mainAspect:0.###}:1): seats would be misplaced; set the camera's sub stream to a {main.Width}:{main.Height} size (analysis uses the main stream meanwhile)");
    }
}
