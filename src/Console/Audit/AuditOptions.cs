using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Audit;

/// <summary>Audit log settings (section <c>Audit</c>).</summary>
public sealed class AuditOptions : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>The Cybersecurity Law asks for network logs kept at least six months.</summary>
    public const int MinRetentionDays = 180;

    /// <summary>Entries older than this many days are pruned (at start and daily); at least 180.</summary>
    public int RetentionDays { get; set; } = MinRetentionDays;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetentionDays < MinRetentionDays)
        {
            yield return new ValidationResult(
                $"Audit:RetentionDays is {RetentionDays}; it must be at least {MinRetentionDays} (the Cybersecurity Law asks for network logs kept at least six months)",
                [nameof(RetentionDays)]);
        }
    }
}
