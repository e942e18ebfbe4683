using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Alerts;

/// <summary>When alerts open and escalate, and where they are posted (section <c>Alerts</c>).</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "Alerts";

    /// <summary>An open alert nobody acknowledged escalates one level per this much time.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A Recorder reporting less free disk than this raises <c>DiskLow</c>.</summary>
    public long DiskLowBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>A Recorder clock further than this from the Console's raises <c>ClockSkew</c>.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Optional: every raised, escalated or changed alert is POSTed here as JSON.</summary>
    public Uri? WebhookUrl { get; set; }

    public int WebhookMaxAttempts { get; set; } = 6;

    public TimeSpan WebhookRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan WebhookRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EscalateAfter < TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult($"Alerts:EscalateAfter {EscalateAfter} must be at least 00:00:10.", [nameof(EscalateAfter)]);
        }

        if (DiskLowBytes < 0)
        {
            yield return new ValidationResult("Alerts:DiskLowBytes must not be negative.", [nameof(DiskLowBytes)]);
        }

        if (MaxClockSkew < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"Alerts:MaxClockSkew {MaxClockSkew} must be at least 00:00:01.", [nameof(MaxClockSkew)]);
        }

        if (WebhookUrl is not null && (!WebhookUrl.IsAbsoluteUri || (WebhookUrl.Scheme != Uri.UriSchemeHttp && WebhookUrl.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Alerts:WebhookUrl '{WebhookUrl}' must be an absolute http:// or https:// URL.", [nameof(WebhookUrl)]);
        }

        if (WebhookMaxAttempts is < 1 or > 100)
        {
            yield return new ValidationResult($"Alerts:WebhookMaxAttempts {WebhookMaxAttempts} must be between 1 and 100.", [nameof(WebhookMaxAttempts)]);
        }

        if (WebhookRetryInitialDelay <= TimeSpan.Zero || WebhookRetryMaxDelay < WebhookRetryInitialDelay)
        {
            yield return new ValidationResult("Alerts:WebhookRetryInitialDelay must be positive and not above Alerts:WebhookRetryMaxDelay.", [nameof(WebhookRetryInitialDelay)]);
        }
    }
}
