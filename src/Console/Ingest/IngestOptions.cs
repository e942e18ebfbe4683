using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Ingest;

/// <summary>What the Console accepts from Recorders' outboxes (section <c>Ingest</c>).</summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string Section = "Ingest";

    /// <summary>How far ahead of the Console's clock an event's times may be before it is rejected.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old an event may be (a Recorder offline for months still delivers).</summary>
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Largest event JSON (without its snapshot).</summary>
    public int MaxEventJsonBytes { get; set; } = 16 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxClockSkew < TimeSpan.FromSeconds(1) || MaxClockSkew > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"Ingest:MaxClockSkew {MaxClockSkew} must be between 00:00:01 and 1.00:00:00.", [nameof(MaxClockSkew)]);
        }

        if (MaxEventAge < TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"Ingest:MaxEventAge {MaxEventAge} must be at least 1.00:00:00.", [nameof(MaxEventAge)]);
        }

        if (MaxEventJsonBytes is < 1024 or > 256 * 1024)
        {
            yield return new ValidationResult($"Ingest:MaxEventJsonBytes {MaxEventJsonBytes} must be between 1024 and 262144.", [nameof(MaxEventJsonBytes)]);
        }
    }
}
