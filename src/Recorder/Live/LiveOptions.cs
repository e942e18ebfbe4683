using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace ServiceHall.Recorder.Live;

/// <summary>Snapshots of watched cameras and live video on demand (section <c>Live</c>).</summary>
public sealed class LiveOptions : IValidatableObject
{
    public const string Section = "Live";

    /// <summary>How often a watched camera's snapshot is sent; the others go with the heartbeat.</summary>
    public TimeSpan WatchedSnapshotInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether each camera's ffmpeg also keeps a rolling HLS output that live video is pushed from.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Which stream of a camera with a sub stream (<c>AnalysisUrl</c>) feeds live video: <c>Sub</c> (the default: a
    /// township link cannot carry many main streams to the city) or <c>Main</c>. A camera without a sub stream always
    /// sends its main stream.
    /// </summary>
    public LiveSource Source { get; set; } = LiveSource.Sub;

    /// <summary>Where a machine keeps files in RAM (a tmpfs on Debian).</summary>
    public const string RamDisk = "/dev/shm";

    /// <summary>
    /// Folder of the rolling HLS output, under <c>Site:DataDirectory</c> when relative. Empty (the default): in RAM under
    /// <see cref="RamDisk"/> where the machine has it, since the output is rewritten every second and would double the
    /// disk's writes (and wear) for video nobody may watch; else <c>live</c> under <c>Site:DataDirectory</c>.
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>Target length of a live segment (ffmpeg cuts at the next key frame, so the camera's GOP sets the floor).</summary>
    public TimeSpan SegmentLength { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long segments are still pushed after the last live viewer left (a page reload does not restart the stream).</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromSeconds(30);

    public string Root(string dataDirectory) => Root(dataDirectory, System.IO.Directory.Exists(RamDisk) ? RamDisk : null);

    /// <summary>The folder for a Recorder on <paramref name="dataDirectory"/>, given the RAM disk if there is one.</summary>
    public string Root(string dataDirectory, string? ramDisk)
    {
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        if (!string.IsNullOrWhiteSpace(Directory))
        {
            return Path.GetFullPath(Path.Combine(data, Directory));
        }

        if (ramDisk is null)
        {
            return Path.Combine(data, "live");
        }

        // One folder per Recorder: several may share a machine (the tests run many at once).
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)))[..16];
        return Path.Combine(ramDisk, $"servicehall-live-{id}");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WatchedSnapshotInterval < TimeSpan.FromMilliseconds(200) || WatchedSnapshotInterval > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Live:WatchedSnapshotInterval {WatchedSnapshotInterval} must be between 00:00:00.2 and 00:01:00.", [nameof(WatchedSnapshotInterval)]);
        }

        if (SegmentLength < TimeSpan.FromMilliseconds(500) || SegmentLength > TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult($"Live:SegmentLength {SegmentLength} must be between 00:00:00.5 and 00:00:10.", [nameof(SegmentLength)]);
        }

        if (!Enum.IsDefined(Source))
        {
            yield return new ValidationResult($"Live:Source {Source} must be Sub or Main.", [nameof(Source)]);
        }

        if (Linger < TimeSpan.Zero || Linger > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Live:Linger {Linger} must be between 00:00:00 and 00:01:00 (live video stops within a minute of the last viewer).", [nameof(Linger)]);
        }
    }
}

/// <summary>The stream of a camera that live video is taken from.</summary>
public enum LiveSource
{
    Sub,
    Main,
}
