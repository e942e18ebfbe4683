using FFMpegCore;
using FFMpegCore.Pipes;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;

namespace ServiceHall.Eval;

/// <summary>What the production analyser and tracker said about one window over one clip.</summary>
public sealed record WindowRun(WindowLabels Labels, List<(double T, bool Present, double Share)> Frames, List<(Transition Transition, double At, double Since)> Transitions)
{
    /// <summary>The second signal's answers, on the frames it ran.</summary>
    public List<(double T, PersonEvidence Evidence)> Evidence { get; } = [];

    /// <summary>The moved share of the seat, on the frames it was watched for inactivity.</summary>
    public List<(double T, double Share)> Activity { get; } = [];
}

/// <summary>
/// Runs a clip through exactly the Recorder's path: ffmpeg decodes with the production analysis arguments
/// (<see cref="CaptureArguments.AnalysisOutput"/>, key frames only when <see cref="GopPolicy"/> says so for the clip's
/// probed GOP and <c>Capture:MaxKeyFrameInterval</c>), at the production rate (the analysis rate, or the GOP's when
/// key frames come slower), frames carry video time (index times the frame interval: the clips' GOPs are exact), and
/// <see cref="CameraAnalyser"/> scores and tracks every window.
/// </summary>
public static class ClipRunner
{
    /// <summary>A Thursday 10:00 in Shanghai: the default schedule is open, so Unstaffed can happen.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    public sealed record Result(IReadOnlyList<WindowRun> Windows, double LengthSeconds, long ModelRuns, long SeatFrames, bool KeyFramesOnly)
    {
        /// <summary>Face and pose model runs and the time spent in them (zero with segmentation alone).</summary>
        public (long Face, long Pose, TimeSpan Elapsed) PersonModelRuns { get; init; }

        public bool SingleSignal { get; init; }
    }

    /// <summary>
    /// Runs the clip; every window needs <paramref name="headcount"/> people (the labels then mean "that many present")
    /// and has <see cref="WindowOptions.PersonCheck"/> as given.
    /// </summary>
    public static async Task<Result> RunAsync(ClipLabels clip, OccupancyOptions options, CaptureOptions capture, int headcount = 1, bool personCheck = true)
    {
        var fps = capture.AnalysisFps;
        var keyFrames = await KeyFrameProbe.KeyFramesAsync(clip.VideoPath, new FFOptions(), GopPolicy.ProbeLength(capture.MaxKeyFrameInterval), CancellationToken.None);
        var gop = GopPolicy.Decide(capture.DecodeKeyFramesOnly, keyFrames, capture.MaxKeyFrameInterval, fps);
        var keyFramesOnly = gop.KeyFramesOnly;
        var interval = gop.FrameInterval.TotalSeconds;
        var analysis = await FFProbe.AnalyseAsync(clip.VideoPath);
        var video = analysis.PrimaryVideoStream ?? throw new LabelsException(clip.LabelsPath, "video has no video stream");
        var (width, height) = CameraFrame.EvenSize(video.Width ?? 0, video.Height ?? 0);
        var windows = clip.Windows.Select(w => new WindowOptions { Id = w.Id, Name = w.Id, Seat = [.. w.Seat], Headcount = headcount, InactiveThreshold = w.InactiveThreshold, PersonCheck = personCheck }).ToList();
        using var analyser = new CameraAnalyser("eval", windows, options, options.Schedule.Build());
        var runs = clip.Windows.Select(w => new WindowRun(w, [], [])).ToList();
        var frames = 0L;

        ValueTask OnFrame(long index, byte[] data, CancellationToken ct)
        {
            var t = index * interval;
            var at = Epoch + TimeSpan.FromSeconds(t);
            frames++;
            var results = analyser.Analyse(new CameraFrame("eval", at, width, height, data), at);
            for (var i = 0; i < results.Count; i++)
            {
                runs[i].Frames.Add((t, results[i].Present, results[i].Score.Share));
                if (results[i].Evidence is { } evidence)
                {
                    runs[i].Evidence.Add((t, evidence));
                }

                if (results[i].Activity is { } activity)
                {
                    runs[i].Activity.Add((t, activity));
                }

                runs[i].Transitions.AddRange(results[i].Transitions.Select(x => (x, (x.At - Epoch).TotalSeconds, (x.Since - Epoch).TotalSeconds)));
            }

            return ValueTask.CompletedTask;
        }

        // The Recorder's pipe reader; waiting instead of dropping, as a file is read faster than real time.
        Task Read(Stream stdout, CancellationToken ct) =>
            FramePipe.ReadAsync(stdout, CameraFrame.ByteCount(width, height), dropBeyond: null, OnFrame, null, ct);

        await FFMpegArguments.FromFileInput(clip.VideoPath, verifyExists: true, o => o.WithCustomArgument(CaptureArguments.Decoding(keyFramesOnly)))
            .OutputToPipe(new StreamPipeSink(Read), o => o.WithCustomArgument(CaptureArguments.AnalysisOutput(fps, width, height, keyFramesOnly)))
            .ProcessAsynchronously();
        return new Result(runs, frames * interval, analyser.ModelRuns, analyser.SeatFrames, keyFramesOnly)
        {
            PersonModelRuns = analyser.PersonModelRuns,
            SingleSignal = analyser.SingleSignal,
        };
    }
}
