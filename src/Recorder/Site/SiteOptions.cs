using System.ComponentModel.DataAnnotations;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Site;

/// <summary>Who this Recorder is and where it keeps its files (section <c>Site</c>).</summary>
public sealed class SiteOptions : IValidatableObject
{
    public const string Section = "Site";

    [Required]
    public string Id { get; set; } = "";

    [Required]
    public string Name { get; set; } = "";

    /// <summary>IANA zone of the hall; schedules are read in it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Folder for the Recorder's database and recordings; relative paths are under the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data/recorder";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Slug.IsValid(Id))
        {
            yield return new ValidationResult($"Site:Id '{Id}' must be a slug (lower-case letters, digits and '-', at most {Slug.MaxLength}).", [nameof(Id)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Site:TimeZone '{TimeZone}' is not a known time zone.", [nameof(TimeZone)]);
        }
    }
}
