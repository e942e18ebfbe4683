using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Review;

/// <summary>Caps on clip requests and on package checks (section <c>Review</c>): each request makes a Recorder cut and upload video, each check reads and hashes an upload, so a flood is a denial of service.</summary>
public sealed class ReviewOptions : IValidatableObject
{
    public const string Section = "Review";

    /// <summary>Clips one user may have requested and not yet received (requested or uploading).</summary>
    public int MaxOutstandingClipsPerUser { get; set; } = 10;

    /// <summary>Clips one site may owe, whoever asked.</summary>
    public int MaxOutstandingClipsPerSite { get; set; } = 20;

    /// <summary>The largest package <c>POST /api/cases/verify</c> reads, and the most any of its files may inflate to: two hours of a high-rate camera.</summary>
    public long VerifyMaxUploadBytes { get; set; } = 8L << 30;

    /// <summary>Packages checked at once; more answer 503 (each parks its upload on disk and hashes it).</summary>
    public int VerifyMaxConcurrent { get; set; } = 2;

    /// <summary>Largest clip a Recorder may upload: a declared size above it, or chunks adding up past it, answer 413.</summary>
    public long MaxClipBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxOutstandingClipsPerUser is < 1 or > 1000)
        {
            yield return new ValidationResult("Review:MaxOutstandingClipsPerUser must be between 1 and 1000", [nameof(MaxOutstandingClipsPerUser)]);
        }

        if (MaxOutstandingClipsPerSite is < 1 or > 1000)
        {
            yield return new ValidationResult("Review:MaxOutstandingClipsPerSite must be between 1 and 1000", [nameof(MaxOutstandingClipsPerSite)]);
        }

        if (VerifyMaxUploadBytes is < 1 << 20 or > 1L << 40)
        {
            yield return new ValidationResult("Review:VerifyMaxUploadBytes must be between 1 MiB (1048576) and 1 TiB", [nameof(VerifyMaxUploadBytes)]);
        }

        if (VerifyMaxConcurrent is < 1 or > 64)
        {
            yield return new ValidationResult("Review:VerifyMaxConcurrent must be between 1 and 64", [nameof(VerifyMaxConcurrent)]);
        }

        if (MaxClipBytes is < 1024 * 1024 or > 1024L * 1024 * 1024 * 1024)
        {
            yield return new ValidationResult("Review:MaxClipBytes must be between 1048576 and 1099511627776", [nameof(MaxClipBytes)]);
        }
    }
}
