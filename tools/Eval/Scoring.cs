using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Occupancy;

namespace ServiceHall.Eval;

/// <summary>One window's accuracy over one clip, printed as JSON.</summary>
public sealed record WindowScore(
    string Clip,
    string Window,
    int FramesScored,
    double Agreement,
    double[] ArrivalLatencySeconds,
    double[] DepartureLatencySeconds,
    double[] VacatedEventDelaySeconds,
    int FalseVacated,
    int MissedAbsences,
    double MinShareWhenPresent,
    double MaxShareWhenAbsent,
    int FalsePresenceFrames,
    double LongestFalsePresenceSeconds,
    IReadOnlyList<string> Tags);

/// <summary>
/// One window's inactivity over one clip: labelled motionless stretches long enough for the threshold
/// (<see cref="Expected"/>), those a ClerkInactive came for and how long after the threshold it came, and ClerkInactive
/// raised outside any labelled stretch (<see cref="False"/>).
/// </summary>
public sealed record InactivityScore(string Clip, string Window, double ThresholdSeconds, int Expected, int Raised, int Missed, int False, double[] DelaySeconds);

/// <summary>Compares what the tracker and analyser said with the labels.</summary>
public static class Scoring
{
    /// <summary>Frames this close to a labelled change are left out of the agreement: the change happens between frames.</summary>
    public const double TransitionMarginSeconds = 1.0;

    /// <summary>
    /// Scores one window. An absence is missed when no <c>Vacated</c> confirms it, or when something (a dog, a coat, a
    /// citizen) is held as present in it for the entry debounce or longer: the tracker then calls the seat staffed.
    /// </summary>
    public static WindowScore Score(string clip, WindowRun run, double length, TimeSpan exitDebounce, TimeSpan? entryDebounce = null)
    {
        var entry = (entryDebounce ?? new WindowOptions().EntryDebounce).TotalSeconds;
        var labels = run.Labels;
        var changes = labels.Transitions(length).ToList();
        var scored = run.Frames.Where(f => changes.All(c => Math.Abs(f.T - c) > TransitionMarginSeconds)).ToList();
        var agree = scored.Count(f => f.Present == labels.IsPresent(f.T));
        var agreement = scored.Count == 0 ? 1 : agree / (double)scored.Count;

        var arrivals = run.Transitions.Where(t => t.Transition.Kind is TransitionKind.Staffed or TransitionKind.Restaffed).ToList();
        var vacated = run.Transitions.Where(t => t.Transition.Kind == TransitionKind.Vacated).ToList();
        var arrivalLatency = new List<double>();
        foreach (var p in labels.Present.Where(p => p.Start > 0))
        {
            var since = arrivals.Where(a => a.Since >= p.Start - TransitionMarginSeconds && a.Since < p.End).Select(a => (double?)a.Since).FirstOrDefault();
            if (since is { } s)
            {
                arrivalLatency.Add(Math.Max(0, s - p.Start));
            }
        }

        // Absences: gaps between present intervals, and from the last one to the end of the clip.
        var absences = new List<(double Start, double End)>();
        var cursor = 0.0;
        foreach (var p in labels.Present)
        {
            if (p.Start > cursor)
            {
                absences.Add((cursor, p.Start));
            }

            cursor = p.End;
        }

        if (cursor < length)
        {
            absences.Add((cursor, length));
        }

        var departureLatency = new List<double>();
        var eventDelay = new List<double>();
        var missed = 0;
        var longestFalse = 0.0;
        foreach (var a in absences)
        {
            var held = LongestPresentRun(run.Frames, a.Start + TransitionMarginSeconds, a.End - TransitionMarginSeconds);
            longestFalse = Math.Max(longestFalse, held);
            if (held >= entry)
            {
                missed++;
                continue;
            }

            if (a.Start <= 0 && labels.Present.Count > 0)
            {
                continue; // The clip starts with the seat empty: no departure to confirm.
            }

            var hit = vacated.Where(v => v.Since >= a.Start - TransitionMarginSeconds && v.Since < a.End).Take(1).ToList();
            if (hit.Count == 1)
            {
                departureLatency.Add(Math.Max(0, hit[0].Since - a.Start));
                eventDelay.Add(hit[0].At - a.Start);
            }
            else if (a.End - a.Start >= exitDebounce.TotalSeconds + 5)
            {
                // Long enough that the tracker should have confirmed it before it ended.
                missed++;
            }
        }

        // A Vacated is false when the seat was labelled occupied then, or the labelled absence was too short to count.
        var falseVacated = vacated.Count(v =>
        {
            var absence = absences.FirstOrDefault(a => v.Since >= a.Start - TransitionMarginSeconds && v.Since < a.End);
            return absence == default || absence.End - absence.Start < exitDebounce.TotalSeconds;
        });

        var falsePresence = scored.Count(f => f.Present && !labels.IsPresent(f.T));
        var presentShares = scored.Where(f => labels.IsPresent(f.T)).Select(f => f.Share).DefaultIfEmpty(1).Min();
        var absentShares = scored.Where(f => !labels.IsPresent(f.T)).Select(f => f.Share).DefaultIfEmpty(0).Max();
        return new WindowScore(
            clip, labels.Id, scored.Count, Math.Round(agreement, 4),
            [.. arrivalLatency.Select(Round)], [.. departureLatency.Select(Round)], [.. eventDelay.Select(Round)],
            falseVacated, missed, Round(presentShares), Round(absentShares), falsePresence, Round(longestFalse), labels.Tags);
    }

    /// <summary>
    /// Scores one window's ClerkInactive against its labelled motionless stretches: each stretch at least
    /// <paramref name="threshold"/> long expects one, raised inside it; its delay is measured from the stretch's start
    /// plus the threshold (slightly negative when the last movement was seen just before the labelled start).
    /// </summary>
    public static InactivityScore ScoreInactivity(string clip, WindowRun run, TimeSpan threshold)
    {
        var raised = run.Transitions.Where(t => t.Transition.Kind == TransitionKind.Inactive).ToList();
        var expected = run.Labels.Inactive.Where(i => i.End - i.Start >= threshold.TotalSeconds).ToList();
        var delays = new List<double>();
        var missed = 0;
        foreach (var stretch in expected)
        {
            var hit = raised.Where(r => r.At >= stretch.Start && r.At <= stretch.End + TransitionMarginSeconds).Select(r => (double?)r.At).FirstOrDefault();
            if (hit is { } at)
            {
                delays.Add(Round(at - (stretch.Start + threshold.TotalSeconds)));
            }
            else
            {
                missed++;
            }
        }

        var falseRaised = raised.Count(r => !run.Labels.Inactive.Any(i => r.At >= i.Start && r.At <= i.End + TransitionMarginSeconds));
        return new InactivityScore(clip, run.Labels.Id, threshold.TotalSeconds, expected.Count, raised.Count, missed, falseRaised, [.. delays]);
    }

    /// <summary>Seconds from the first to the last frame of the longest unbroken run of "present" verdicts in [from, to].</summary>
    private static double LongestPresentRun(List<(double T, bool Present, double Share)> frames, double from, double to)
    {
        var longest = 0.0;
        double? start = null;
        foreach (var (t, present, _) in frames.Where(f => f.T >= from && f.T <= to))
        {
            if (!present)
            {
                start = null;
                continue;
            }

            start ??= t;
            longest = Math.Max(longest, t - start.Value);
        }

        return longest;
    }

    private static double Round(double x) => Math.Round(x, 3);
}
