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
/// An HEVC clip stays HEVC (the camera's packets are the evidence; MP4 tagged hvc1) and gets an H.264 viewing copy
/// beside it, transcoded from the clip, since browsers such as Chromium here have no HEVC decoder.
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
        var recorded = await MediaProbe.TryProbeAsync(firstPath, capture.Value.FfmpegPath, ct)
            ?? throw new ClipException($"the recording {first.Path} does not play");
        var start = keyframes.Where(k => k <= wanted + 1e-3).DefaultIfEmpty(0).Max();
        var actualFrom = first.Start + TimeSpan.FromSeconds(start);
        var end = request.To < sources[^1].End ? request.To : sources[^1].End;
        var length = end - actualFrom;

        var clipPath = Path.Combine(Directory, request.ClipId + ".mp4");
        var listPath = Path.Combine(Directory, request.ClipId + ".txt");
        await File.WriteAllLinesAsync(listPath, sources.Select(s => ConcatLine(Path.Combine(sessions.Root, s.Path))), ct);
        try
        {
            await RunFfmpegAsync(ClipArguments.Concat(listPath, start, length, clipPath, recorded.Codec), ct);
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
            sourceEntries,
            info.Codec,
            info.Codec == ClipArguments.Hevc ? await CutViewingCopyAsync(clipPath, info, ct) : null);
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
            && (manifest.ViewingCopy is not { } view || (File.Exists(ViewingCopyPath(view)) && view.Sha256 == await Sha256Async(ViewingCopyPath(view), ct)))
            ? new ClipFile(clipPath, manifestPath, manifest)
            : null;
    }

    public string ViewingCopyPath(ClipViewingCopy view) => Path.Combine(Directory, Path.GetFileName(view.File));

    private async Task<ClipViewingCopy> CutViewingCopyAsync(string clipPath, MediaInfo clip, CancellationToken ct)
    {
        var path = Path.ChangeExtension(clipPath, ".view.mp4");
        var height = ClipArguments.ViewingHeight(clip.Height);
        await RunFfmpegAsync(ClipArguments.ViewingCopy(clipPath, height, path), ct);
        var view = await MediaProbe.TryProbeAsync(path, capture.Value.FfmpegPath, ct)
            ?? throw new ClipException("ffmpeg wrote a viewing copy that does not play");
        return new ClipViewingCopy(Path.GetFileName(path), view.Codec, view.Width, view.Height, new FileInfo(path).Length, await Sha256Async(path, ct));
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
    /// <summary>ffprobe's name of H.265.</summary>
    public const string Hevc = "hevc";

    /// <summary>The viewing copy is at most 720 lines: enough to see who did what, small to send to a browser.</summary>
    public static int ViewingHeight(int height) => Math.Min(720, height) & ~1;

    /// <summary>
    /// An H.264 transcode of <paramref name="clipPath"/> (a viewing copy; the clip itself stays as it is), scaled to
    /// <paramref name="height"/> lines, with its start at the front of the file so a browser plays it while loading.
    /// </summary>
    public static string ViewingCopy(string clipPath, int height, string outputPath) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"-v error -y -i \"{clipPath}\" -map 0:v:0 -vf scale=-2:{height} -c:v libx264 -preset veryfast -crf 26 -pix_fmt yuv420p -movflags +faststart -f mp4 \"{outputPath}\"");

    /// <summary>
    /// Concatenate the listed segments and copy from <paramref name="startSeconds"/> (a key frame) for <paramref name="length"/>.
    /// The start is nudged back by a millisecond so rounding never drops the key frame itself. HEVC is tagged hvc1
    /// (parameter sets in the sample description), the tag Apple's and most players need to open HEVC in MP4.
    /// </summary>
    public static string Concat(string listPath, double startSeconds, TimeSpan length, string outputPath, string codec = "") =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"-v error -y -f concat -safe 0 -i \"{listPath}\" -map 0:v:0 -c copy{(codec == Hevc ? " -tag:v hvc1" : "")} -ss {Math.Max(0, startSeconds - 0.001):0.000} -t {length.TotalSeconds:0.000} -movflags +faststart -f mp4 \"{outputPath}\"");
}
