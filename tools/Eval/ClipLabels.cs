using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Eval;

/// <summary>A labelled clip as in DESIGN.md: a video and, per window, its seat and the intervals a person occupies it.</summary>
public sealed record ClipLabels(string LabelsPath, string VideoPath, IReadOnlyList<WindowLabels> Windows)
{
    /// <summary>Reads and checks a labels file; throws <see cref="LabelsException"/> saying what is wrong.</summary>
    public static ClipLabels Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new LabelsException(path, "file does not exist");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new LabelsException(path, $"not valid JSON: {ex.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LabelsException(path, "the top level must be an object with \"video\" and \"windows\"");
            }

            if (!root.TryGetProperty("video", out var video) || video.ValueKind != JsonValueKind.String || video.GetString() is not { Length: > 0 } videoName)
            {
                throw new LabelsException(path, "\"video\" must be a non-empty string");
            }

            var videoPath = Path.GetFullPath(videoName, Path.GetDirectoryName(Path.GetFullPath(path))!);
            if (!File.Exists(videoPath))
            {
                throw new LabelsException(path, $"video '{videoPath}' does not exist");
            }

            if (!root.TryGetProperty("windows", out var windows) || windows.ValueKind != JsonValueKind.Array || windows.GetArrayLength() == 0)
            {
                throw new LabelsException(path, "\"windows\" must be a non-empty array");
            }

            var result = new List<WindowLabels>();
            var i = 0;
            foreach (var window in windows.EnumerateArray())
            {
                result.Add(ReadWindow(path, $"windows[{i++}]", window));
            }

            if (result.Select(w => w.Id).Distinct(StringComparer.Ordinal).Count() != result.Count)
            {
                throw new LabelsException(path, "window ids must be unique");
            }

            return new ClipLabels(Path.GetFullPath(path), videoPath, result);
        }
    }

    private static WindowLabels ReadWindow(string path, string at, JsonElement window)
    {
        if (window.ValueKind != JsonValueKind.Object)
        {
            throw new LabelsException(path, $"{at} must be an object");
        }

        if (!window.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String || !Slug.IsValid(idElement.GetString()))
        {
            throw new LabelsException(path, $"{at}.id must be a slug like \"w01\"");
        }

        var seat = new List<double[]>();
        if (!window.TryGetProperty("seat", out var seatElement) || seatElement.ValueKind != JsonValueKind.Array || seatElement.GetArrayLength() < 3)
        {
            throw new LabelsException(path, $"{at}.seat must be an array of at least 3 [x, y] points");
        }

        var p = 0;
        foreach (var point in seatElement.EnumerateArray())
        {
            var xy = Pair(point);
            if (xy is null || xy.Any(c => c is < 0 or > 1))
            {
                throw new LabelsException(path, $"{at}.seat[{p}] must be [x, y] with both between 0 and 1");
            }

            seat.Add(xy);
            p++;
        }

        if (!window.TryGetProperty("present", out var presentElement) || presentElement.ValueKind != JsonValueKind.Array)
        {
            throw new LabelsException(path, $"{at}.present must be an array of [start, end] intervals in seconds");
        }

        var present = Intervals(path, $"{at}.present", presentElement);
        List<(double Start, double End)> inactive = [];
        TimeSpan? inactiveThreshold = null;
        if (window.TryGetProperty("inactiveThreshold", out var thresholdElement))
        {
            if (thresholdElement.ValueKind != JsonValueKind.Number || thresholdElement.GetDouble() <= 0)
            {
                throw new LabelsException(path, $"{at}.inactiveThreshold must be a positive number of seconds");
            }

            inactiveThreshold = TimeSpan.FromSeconds(thresholdElement.GetDouble());
        }

        if (window.TryGetProperty("inactive", out var inactiveElement))
        {
            if (inactiveElement.ValueKind != JsonValueKind.Array || inactiveThreshold is null)
            {
                throw new LabelsException(path, $"{at}.inactive must be an array of [start, end] intervals, with an inactiveThreshold beside it");
            }

            inactive = Intervals(path, $"{at}.inactive", inactiveElement);
        }

        var tags = new List<string>();
        if (window.TryGetProperty("tags", out var tagsElement))
        {
            if (tagsElement.ValueKind != JsonValueKind.Array || tagsElement.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 }))
            {
                throw new LabelsException(path, $"{at}.tags must be an array of non-empty strings like [\"animal\"]");
            }

            tags.AddRange(tagsElement.EnumerateArray().Select(t => t.GetString()!));
        }

        return new WindowLabels(idElement.GetString()!, seat, present) { Tags = tags, InactiveThreshold = inactiveThreshold, Inactive = inactive };
    }

    /// <summary>Sorted, apart [start, end] intervals in seconds.</summary>
    private static List<(double Start, double End)> Intervals(string path, string at, JsonElement element)
    {
        var intervals = new List<(double Start, double End)>();
        var n = 0;
        foreach (var interval in element.EnumerateArray())
        {
            var se = Pair(interval);
            if (se is null || se[0] < 0 || se[1] <= se[0])
            {
                throw new LabelsException(path, $"{at}[{n}] must be [start, end] with 0 <= start < end");
            }

            if (intervals.Count > 0 && se[0] < intervals[^1].End)
            {
                throw new LabelsException(path, $"{at}[{n}] starts before the previous interval ends; intervals must be sorted and apart");
            }

            intervals.Add((se[0], se[1]));
            n++;
        }

        return intervals;
    }

    private static double[]? Pair(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 2)
        {
            return null;
        }

        var values = element.EnumerateArray().ToArray();
        return values.All(v => v.ValueKind == JsonValueKind.Number) ? [values[0].GetDouble(), values[1].GetDouble()] : null;
    }
}

/// <summary>One window's truth in a clip.</summary>
public sealed record WindowLabels(string Id, IReadOnlyList<double[]> Seat, IReadOnlyList<(double Start, double End)> Present)
{
    /// <summary>What the clip shows at this seat besides the clerk (e.g. "animal", "night"), for reports by kind.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The window's inactive threshold for this clip (short, so clips stay short); null: the Occupancy default.</summary>
    public TimeSpan? InactiveThreshold { get; init; }

    /// <summary>When the clerk sits motionless: ClerkInactive is expected once the threshold passes in each, never elsewhere.</summary>
    public IReadOnlyList<(double Start, double End)> Inactive { get; init; } = [];

    public bool IsPresent(double t) => Present.Any(p => t >= p.Start && t < p.End);

    /// <summary>Labelled changes (arrivals and departures) inside the clip.</summary>
    public IEnumerable<double> Transitions(double length) =>
        Present.SelectMany(p => new[] { p.Start, p.End }).Where(t => t > 0 && t < length);
}

/// <summary>A labels file that cannot be used, and why.</summary>
public sealed class LabelsException(string path, string problem) : Exception($"{path}: {problem}");
