using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ServiceHall.Eval;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;

// ServiceHall.Eval eval|bench --model PATH [--face-model PATH] [--pose-model PATH] [--fps N] [--decode auto|always|never] [--max-gop S] [--set Occupancy.Key=VALUE]... [--trace] LABELS.json...
//   --set overrides an Occupancy setting for a calibration sweep, e.g. --set PresenceThreshold=0.3
//   --max-gop: Capture:MaxKeyFrameInterval (seconds), the longest GOP analysed from key frames only (at the GOP's rate)
//   --face-model/--pose-model: the second signal's models; without them (or --set FaceModelPath= --set PoseModelPath=)
//   the analyser judges by segmentation alone, as a Recorder without those files does.
//   eval:  accuracy of the production analyser and tracker against labelled clips.
//   bench: CPU of our pipeline versus a naive one over the same clips.
if (args.Length < 1 || args[0] is not ("eval" or "bench"))
{
    await Console.Error.WriteLineAsync("usage: ServiceHall.Eval eval|bench --model PATH [--face-model PATH] [--pose-model PATH] [--fps N] [--decode auto|always|never] [--max-gop S] LABELS.json...");
    return 64;
}

var mode = args[0];
// Without --face-model/--pose-model the second signal is off, not looked for beside the harness's binary.
var options = new OccupancyOptions { FaceModelPath = "", PoseModelPath = "" };
// The Recorder's capture defaults: analysis rate, key-frame decision and longest GOP analysed from key frames.
var capture = new CaptureOptions();
var files = new List<string>();
var trace = false;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--model" when i + 1 < args.Length:
            options.ModelPath = Path.GetFullPath(args[++i]);
            break;
        case "--face-model" when i + 1 < args.Length:
            options.FaceModelPath = Path.GetFullPath(args[++i]);
            break;
        case "--pose-model" when i + 1 < args.Length:
            options.PoseModelPath = Path.GetFullPath(args[++i]);
            break;
        case "--decode" when i + 1 < args.Length:
            if (!Enum.TryParse<KeyFrameDecoding>(args[++i], ignoreCase: true, out var decoding) || !Enum.IsDefined(decoding))
            {
                await Console.Error.WriteLineAsync($"eval: --decode '{args[i]}' must be auto, always or never");
                return 64;
            }

            capture.DecodeKeyFramesOnly = decoding;
            break;
        case "--max-gop" when i + 1 < args.Length:
            capture.MaxKeyFrameInterval = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--set" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
            var (key, value) = (args[++i].Split('=', 2)[0], args[i].Split('=', 2)[1]);
            try
            {
                new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build().Bind(options, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                await Console.Error.WriteLineAsync($"eval: --set {args[i]}: {ex.Message}");
                return 64;
            }

            break;
        case "--trace":
            trace = true;
            break;
        case "--fps" when i + 1 < args.Length:
            capture.AnalysisFps = double.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            files.Add(args[i]);
            break;
    }
}

if (files.Count == 0)
{
    await Console.Error.WriteLineAsync("eval: give at least one labels.json (see DESIGN.md, \"Occupancy clips and their labels\")");
    return 64;
}

if (!File.Exists(options.ResolvedModelPath))
{
    await Console.Error.WriteLineAsync($"eval: model '{options.ResolvedModelPath}' does not exist; run ./hall.sh setup");
    return 66;
}

List<ClipLabels> clips;
try
{
    clips = [.. files.Select(ClipLabels.Load)];
}
catch (LabelsException ex)
{
    await Console.Error.WriteLineAsync($"eval: malformed labels: {ex.Message}");
    return 65;
}

if (mode == "bench")
{
    try
    {
        return await Bench.RunAsync(clips, options, capture);
    }
    catch (LabelsException ex)
    {
        await Console.Error.WriteLineAsync($"bench: {ex.Message}");
        return 65;
    }
}

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var scores = new List<WindowScore>();
var inactivity = new List<InactivityScore>();
var exitDebounce = new WindowOptions().ExitDebounce;
var (personFace, personPose, personTime, videoSeconds) = (0L, 0L, TimeSpan.Zero, 0.0);
foreach (var clip in clips)
{
    var watch = Stopwatch.StartNew();
    var result = await ClipRunner.RunAsync(clip, options, capture);
    foreach (var run in result.Windows)
    {
        var score = Scoring.Score(Path.GetFileName(clip.LabelsPath), run, result.LengthSeconds, exitDebounce);
        scores.Add(score);
        if (trace)
        {
            // Per-frame evidence for calibration: time, label, person share, the second signal where it ran, verdict.
            var evidence = run.Evidence.ToDictionary(e => e.T, e => e.Evidence);
            var moved = run.Activity.ToDictionary(a => a.T, a => a.Share);
            foreach (var (t, present, share) in run.Frames)
            {
                var activity = moved.TryGetValue(t, out var m) ? string.Create(CultureInfo.InvariantCulture, $" activity={m:0.0000}") : "";
                var person = evidence.TryGetValue(t, out var e)
                    ? string.Create(CultureInfo.InvariantCulture, $" face={e.Face:0.000} pose={(e.Pose is { } p ? p.ToString("0.000", CultureInfo.InvariantCulture) : "-")} person={(e.Person ? 1 : 0)}")
                    : "";
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"trace {score.Clip} {run.Labels.Id} t={t:0} label={(run.Labels.IsPresent(t) ? 1 : 0)} share={share:0.000}{person} present={(present ? 1 : 0)}{activity}"));
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(score, json));
        // What the false presence was on, by the window's tags: a dog held as a clerk reads differently from a slow leave.
        if (score.FalsePresenceFrames > 0)
        {
            var kind = score.Tags.Count > 0 ? string.Join(", ", score.Tags) : "untagged";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"false presence: {score.Clip} {score.Window} on {kind}: {score.FalsePresenceFrames} frames, longest {score.LongestFalsePresenceSeconds:0} s"));
        }

        var inactive = Scoring.ScoreInactivity(score.Clip, run, run.Labels.InactiveThreshold ?? options.InactiveThreshold);
        inactivity.Add(inactive);
        if (run.Labels.InactiveThreshold is not null || inactive.Raised > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"inactive: {inactive.Clip} {inactive.Window} threshold {inactive.ThresholdSeconds:0} s: ClerkInactive raised {inactive.Raised}, expected {inactive.Expected}, missed {inactive.Missed}, false {inactive.False}, delay after the threshold [{string.Join(", ", inactive.DelaySeconds.Select(d => d.ToString("0.0", CultureInfo.InvariantCulture)))}] s"));
        }
    }

    personFace += result.PersonModelRuns.Face;
    personPose += result.PersonModelRuns.Pose;
    personTime += result.PersonModelRuns.Elapsed;
    videoSeconds += result.LengthSeconds;
    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
        $"{Path.GetFileName(clip.LabelsPath)}: {result.LengthSeconds:0} s of video{(result.KeyFramesOnly ? " (key frames only)" : "")}, model ran on {result.ModelRuns} of {result.SeatFrames} seat frames, face {result.PersonModelRuns.Face}, pose {result.PersonModelRuns.Pose}{(result.SingleSignal ? " (single signal)" : "")}, {watch.Elapsed.TotalSeconds:0.0} s"));
}

if (personFace + personPose > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"second signal: face {personFace} runs, pose {personPose} runs over {videoSeconds:0} s of video; {personTime.TotalSeconds / videoSeconds * 100:0.00} % of a core per window"));
}

var lowest = scores.Min(s => s.Agreement);
var maxDeparture = scores.SelectMany(s => s.DepartureLatencySeconds).DefaultIfEmpty(0).Max();
var falseVacated = scores.Sum(s => s.FalseVacated);
var missed = scores.Sum(s => s.MissedAbsences);
var inactiveDelay = inactivity.SelectMany(i => i.DelaySeconds).DefaultIfEmpty(0).Max();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"agreement={lowest:0.0000} max_departure_latency_s={maxDeparture:0.0} false_vacated={falseVacated} missed_absences={missed} inactive_missed={inactivity.Sum(i => i.Missed)} inactive_false={inactivity.Sum(i => i.False)} max_inactive_delay_s={inactiveDelay:0.0}"));
return 0;
