using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Diagnostics;
using ServiceHall.Recorder.Site;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Recording;

/// <summary>A clip request that cannot be served, with a reason for people.</summary>
public sealed class ClipException(string message) : Exception(message);

/// <summary>An exported clip on the Recorder's disk and its manifest.</summary>
public sealed record ClipFile(string ClipPath, string ManifestPath, ClipExported Manifest);

/// <summary>
/// Cuts one MP4 by stream copy from the segments covering a time range: concatenates them, starts at the key frame at or
/// before the requested start, hashes the clip and its sources, writes the manifest, and puts the range on hold.
/// </summary>
public sealed partial class ClipExporter(
    SegmentIndex index,
    RecordingSessions sessions,
    HoldKeeper holds,
    ClipFolder folder,
    IOptions<SiteOptions> site,
    IOptions<CaptureOptions> capture,
    TimeProvider time,
    ILogger<ClipExporter> logger)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(2);

    private static readonly JsonSerializerOptions ManifestJson = new(WireJson.Options) { WriteIndented = true };

    public string Directory => folder.Directory;

    public async Task<ClipFile> ExportAsync(ClipRequested request, CancellationToken ct)
    {
        if (!ClipUploads.IsValidId(request.ClipId))
        {
            throw new ClipException($"clip id '{request.ClipId}' must be 32 lower-case hex digits");
        }

        if (request.To <= request.From || request.To - request.From > MaxLength)
        {
            throw new ClipException($"clip range {request.From:o} to {request.To:o} must be positive and at most {MaxLength.TotalHours:0} h");
        }

        var sources = index.Covering(request.CameraId, request.From, request.To);
        if (sources.Count == 0)
        {
            throw new ClipException($"no recording of camera '{request.CameraId}' between {request.From:o} and {request.To:o}");
        }

        System.IO.Directory.CreateDirectory(Directory);
        var first = sources[0];
        var firstPath = Path.Combine(sessions.Root, first.Path);
        var wanted = Math.Max(0, (request.From - first.Start).TotalSeconds);
        var keyframes = await KeyframeOffsetsAsync(firstPath, ct);
        var start = keyframes.Where(k => k <= wanted + 1e-3).DefaultIfEmpty(0).Max();
        var actualFrom = first.Start + TimeSpan.FromSeconds(start);
        var end = request.To < sources[^1].End ? request.To : sources[^1].End;
        var length = end - actualFrom;

        var clipPath = Path.Combine(Directory, request.ClipId + ".mp4");
        var listPath = Path.Combine(Directory, request.ClipId + ".txt");
        await File.WriteAllLinesAsync(listPath, sources.Select(s => ConcatLine(Path.Combine(sessions.Root, s.Path))), ct);
        try
        {
            await RunFfmpegAsync(ClipArguments.Concat(listPath, start, length, clipPath), ct);
        }
        finally
        {
            File.Delete(listPath);
        }

        var info = await MediaProbe.TryProbeAsync(clipPath, capture.Value.FfmpegPath, ct)
            ?? throw new ClipException("ffmpeg wrote a clip that does not play");
        var sourceEntries = new List<ClipSourceSegment>();
        foreach (var s in sources)
        {
            var path = Path.Combine(sessions.Root, s.Path);
            sourceEntries.Add(new ClipSourceSegment(s.Path.Replace('\\', '/'), s.Start, s.End, s.Bytes, await Sha256Async(path, ct)));
        }

        var manifest = new ClipExported(
            request.ClipId,
            site.Value.Id,
            request.CameraId,
            request.From,
            request.To,
            actualFrom,
            actualFrom + info.Duration,
            new FileInfo(clipPath).Length,
            await Sha256Async(clipPath, ct),
            HeartbeatService.Version,
            time.GetUtcNow(),
            sourceEntries);
        var manifestPath = Path.Combine(Directory, request.ClipId + ".json");
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, ManifestJson), ct);

        // Evidence: the source range must outlive retention.
        await holds.PlaceAsync(new HoldRequested(request.ClipId, request.CameraId, first.Start, sources[^1].End, $"clip {request.ClipId}: {request.Reason}", request.RequestedBy), ct);
        LogExported(logger, request.ClipId, request.CameraId, manifest.ActualFrom, manifest.ActualTo, sources.Count, manifest.Sha256);
        return new ClipFile(clipPath, manifestPath, manifest);
    }

    /// <summary>
    /// The clip already cut for this id (a request sent again because its upload did not finish), if its file still
    /// matches its manifest's hash; null otherwise. Cutting it again could give other bytes than the Console has half of.
    /// </summary>
    public async Task<ClipFile?> FindExportedAsync(string clipId, CancellationToken ct)
    {
        var clipPath = Path.Combine(Directory, clipId + ".mp4");
        var manifestPath = Path.Combine(Directory, clipId + ".json");
        if (!ClipUploads.IsValidId(clipId) || !File.Exists(clipPath) || !File.Exists(manifestPath))
        {
            return null;
        }

        ClipExported? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ClipExported>(await File.ReadAllTextAsync(manifestPath, ct), ManifestJson);
        }
        catch (JsonException)
        {
            return null;
        }

        return manifest is not null && manifest.ClipId == clipId && manifest.Sha256 == await Sha256Async(clipPath, ct)
            ? new ClipFile(clipPath, manifestPath, manifest)
            : null;
    }

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>Key frame times of a segment, in seconds from its first packet.</summary>
    private async Task<IReadOnlyList<double>> KeyframeOffsetsAsync(string path, CancellationToken ct)
    {
        var output = await RunToolAsync(
            FfprobePath(),
            $"-v error -select_streams v:0 -skip_frame nokey -show_entries frame=pts_time -of csv=p=0 \"{path}\"",
            ct);
        var times = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => double.TryParse(l.TrimEnd(','), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : double.NaN)
            .Where(t => !double.IsNaN(t))
            .ToList();
        return times.Count == 0 ? [0] : times.Select(t => t - times[0]).ToList();
    }

    private string FfprobePath()
    {
        var ffmpeg = capture.Value.FfmpegPath;
        return Path.IsPathRooted(ffmpeg) ? Path.Combine(Path.GetDirectoryName(ffmpeg)!, "ffprobe") : "ffprobe";
    }

    private async Task RunFfmpegAsync(string arguments, CancellationToken ct) => await RunToolAsync(capture.Value.FfmpegPath, arguments, ct);

    private async Task<string> RunToolAsync(string tool, string arguments, CancellationToken ct)
    {
        LogRunning(logger, tool, arguments);
        using var process = Process.Start(new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new ClipException($"cannot start {tool}");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new ClipException($"{Path.GetFileName(tool)} failed ({process.ExitCode}): {(await stderr).Trim()}");
            }

            return await stdout;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string ConcatLine(string path) => $"file '{path.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    [LoggerMessage(Level = LogLevel.Information, Message = "Running {Tool} {Arguments}")]
    private static partial void LogRunning(ILogger logger, string tool, string arguments);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId} of camera {CameraId} exported: {From:o} to {To:o} from {Segments} segments, SHA-256 {Sha256}")]
    private static partial void LogExported(ILogger logger, string clipId, string cameraId, DateTimeOffset from, DateTimeOffset to, int segments, string sha256);
}

/// <summary>Pure builder of the clip cutting command line.</summary>
public static class ClipArguments
{
    /// <summary>
    /// Concatenate the listed segments and copy from <paramref name="startSeconds"/> (a key frame) for <paramref name="length"/>.
    /// The start is nudged back by a millisecond so rounding never drops the key frame itself.
    /// </summary>
    public static string Concat(string listPath, double startSeconds, TimeSpan length, string outputPath) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"-v error -y -f concat -safe 0 -i \"{listPath}\" -map 0:v:0 -c copy -ss {Math.Max(0, startSeconds - 0.001):0.000} -t {length.TotalSeconds:0.000} -movflags +faststart -f mp4 \"{outputPath}\"");
}
