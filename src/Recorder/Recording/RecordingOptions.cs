using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Recorder.Recording;

/// <summary>Continuous recording, retention and clip export (section <c>Recording</c>).</summary>
public sealed class RecordingOptions : IValidatableObject
{
    public const string Section = "Recording";

    /// <summary>Record every camera continuously; off leaves only the analysis frames.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of the segments; relative paths are under <c>Site:DataDirectory</c>.</summary>
    public string Directory { get; set; } = "recordings";

    /// <summary>Target length of one segment; ffmpeg cuts at the first key frame after it.</summary>
    public TimeSpan SegmentLength { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Segments older than this are deleted unless held.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Most bytes all segments may take; 0 means no quota (the free-space floor still applies).</summary>
    public long MaxDiskBytes { get; set; }

    /// <summary>Delete oldest segments while the disk has less free space than this.</summary>
    public long MinFreeDiskBytes { get; set; } = 1L << 30;

    /// <summary>How long an exported clip stays on the Recorder after the Console accepted its hash.</summary>
    public TimeSpan ClipKeep { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often finished segments are indexed.</summary>
    public TimeSpan IndexInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A hole between two segments wider than this is stored and reported as a gap.</summary>
    public TimeSpan GapTolerance { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SegmentLength < TimeSpan.FromSeconds(2) || SegmentLength > TimeSpan.FromMinutes(30))
        {
            yield return new ValidationResult($"Recording:SegmentLength {SegmentLength} must be between 00:00:02 and 00:30:00.", [nameof(SegmentLength)]);
        }

        if (RetentionDays is < 1 or > 3650)
        {
            yield return new ValidationResult($"Recording:RetentionDays {RetentionDays} must be between 1 and 3650.", [nameof(RetentionDays)]);
        }

        if (MaxDiskBytes < 0)
        {
            yield return new ValidationResult($"Recording:MaxDiskBytes {MaxDiskBytes} must be 0 (no quota) or positive.", [nameof(MaxDiskBytes)]);
        }

        if (MinFreeDiskBytes < 0)
        {
            yield return new ValidationResult($"Recording:MinFreeDiskBytes {MinFreeDiskBytes} must not be negative.", [nameof(MinFreeDiskBytes)]);
        }

        if (IndexInterval < TimeSpan.FromMilliseconds(100) || RetentionInterval < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Recording:IndexInterval must be at least 00:00:00.1 and Recording:RetentionInterval at least 00:00:01.", [nameof(IndexInterval)]);
        }

        if (ClipKeep < TimeSpan.Zero)
        {
            yield return new ValidationResult($"Recording:ClipKeep {ClipKeep} must not be negative.", [nameof(ClipKeep)]);
        }

        if (string.IsNullOrWhiteSpace(Directory))
        {
            yield return new ValidationResult("Recording:Directory must not be empty.", [nameof(Directory)]);
        }
    }

    /// <summary>The absolute recordings folder for a Recorder whose data lives in <paramref name="dataDirectory"/>.</summary>
    public string Root(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, Directory));
}
