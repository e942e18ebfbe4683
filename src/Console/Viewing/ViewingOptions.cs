using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Viewing;

/// <summary>Live video relayed from Recorders (section <c>Viewing</c>).</summary>
public sealed class ViewingOptions : IValidatableObject
{
    public const string Section = "Viewing";

    /// <summary>Newest segments kept in memory and listed per camera.</summary>
    public int LiveSegments { get; set; } = 6;

    /// <summary>A camera's live stream ends (its playlist answers 404 and its segments are dropped) when no segment came for this long.</summary>
    public TimeSpan LiveStaleAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Live video held in memory for one site, all cameras together; beyond it the site's oldest segments are dropped.</summary>
    public long MaxLiveBytesPerSite { get; set; } = 64 * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LiveSegments is < 3 or > 30)
        {
            yield return new ValidationResult($"Viewing:LiveSegments {LiveSegments} must be between 3 and 30.", [nameof(LiveSegments)]);
        }

        if (LiveStaleAfter < TimeSpan.FromSeconds(5) || LiveStaleAfter > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult($"Viewing:LiveStaleAfter {LiveStaleAfter} must be between 00:00:05 and 00:05:00.", [nameof(LiveStaleAfter)]);
        }

        if (MaxLiveBytesPerSite is < 1024 * 1024 or > 4L * 1024 * 1024 * 1024)
        {
            yield return new ValidationResult($"Viewing:MaxLiveBytesPerSite {MaxLiveBytesPerSite} must be between 1048576 and 4294967296.", [nameof(MaxLiveBytesPerSite)]);
        }
    }
}
