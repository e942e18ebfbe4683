using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Site;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// The Recorder's <c>clips/</c> folder: <c>{id}.mp4</c> and <c>{id}.json</c> per exported clip (and <c>{id}.view.mp4</c>, an HEVC
/// clip's H.264 viewing copy), and <c>{id}.uploaded</c>
/// (the UTC time the Console accepted its hash) once delivered. Delivered clips are deleted after
/// <c>Recording:ClipKeep</c>; undelivered ones are kept (they are the only copy) and count in the disk quota.
/// </summary>
public sealed partial class ClipFolder(IOptions<SiteOptions> site, IOptions<RecordingOptions> options, ILogger<ClipFolder> logger)
{
    private const string UploadedExtension = ".uploaded";

    public string Directory { get; } = Path.Combine(Path.GetFullPath(site.Value.DataDirectory), "clips");

    public void MarkUploaded(string clipId, DateTimeOffset at) =>
        File.WriteAllText(Path.Combine(Directory, clipId + UploadedExtension), at.UtcDateTime.ToString("o", CultureInfo.InvariantCulture));

    /// <summary>Bytes of every file in the folder.</summary>
    public long Bytes() =>
        System.IO.Directory.Exists(Directory) ? new DirectoryInfo(Directory).EnumerateFiles().Sum(f => f.Length) : 0;

    /// <summary>Deletes clips delivered longer than <c>Recording:ClipKeep</c> before <paramref name="now"/>; returns their ids.</summary>
    public IReadOnlyList<string> DeleteExpired(DateTimeOffset now)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var deleted = new List<string>();
        foreach (var marker in System.IO.Directory.EnumerateFiles(Directory, "*" + UploadedExtension))
        {
            if (!DateTimeOffset.TryParse(File.ReadAllText(marker), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var uploadedAt)
                || now - uploadedAt < options.Value.ClipKeep)
            {
                continue;
            }

            var id = Path.GetFileNameWithoutExtension(marker);
            File.Delete(Path.Combine(Directory, id + ".mp4"));
            File.Delete(Path.Combine(Directory, id + ".json"));
            File.Delete(Path.Combine(Directory, id + ".view.mp4"));
            File.Delete(marker);
            LogDeleted(logger, id, uploadedAt);
            deleted.Add(id);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId}: local copy deleted (the Console has kept it since {UploadedAt:o})")]
    private static partial void LogDeleted(ILogger logger, string clipId, DateTimeOffset uploadedAt);
}
