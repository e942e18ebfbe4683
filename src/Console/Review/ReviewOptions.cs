using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Review;

/// <summary>Caps on clip requests (section <c>Review</c>): each request makes a Recorder cut and upload video, so a flood is a denial of service.</summary>
public sealed class ReviewOptions : IValidatableObject
{
    public const string Section = "Review";

    /// <summary>Clips one user may have requested and not yet received (requested or uploading).</summary>
    public int MaxOutstandingClipsPerUser { get; set; } = 10;

    /// <summary>Clips one site may owe, whoever asked.</summary>
    public int MaxOutstandingClipsPerSite { get; set; } = 20;

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

        if (MaxClipBytes is < 1024 * 1024 or > 1024L * 1024 * 1024 * 1024)
        {
            yield return new ValidationResult("Review:MaxClipBytes must be between 1048576 and 1099511627776", [nameof(MaxClipBytes)]);
        }
    }
}
