using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Health;

/// <summary>When readiness turns degraded (section <c>Health</c>).</summary>
public sealed class HealthOptions : IValidatableObject
{
    public const string Section = "Health";

    /// <summary>Free disk of a store's data folder below which the store is degraded (ingest still works, but not for long).</summary>
    public long MinFreeDiskBytes { get; set; } = 1L << 30;

    /// <summary>Alert webhook posts waiting beyond which the webhook is degraded.</summary>
    public int MaxWebhookBacklog { get; set; } = 1000;

    /// <summary>How long the oldest webhook post may wait before the webhook is degraded (the receiver is down or refusing).</summary>
    public TimeSpan MaxWebhookWait { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinFreeDiskBytes < 0)
        {
            yield return new ValidationResult($"Health:MinFreeDiskBytes {MinFreeDiskBytes} must not be negative.", [nameof(MinFreeDiskBytes)]);
        }

        if (MaxWebhookBacklog < 1)
        {
            yield return new ValidationResult($"Health:MaxWebhookBacklog {MaxWebhookBacklog} must be at least 1.", [nameof(MaxWebhookBacklog)]);
        }

        if (MaxWebhookWait < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"Health:MaxWebhookWait {MaxWebhookWait} must be at least 00:00:01.", [nameof(MaxWebhookWait)]);
        }
    }
}
