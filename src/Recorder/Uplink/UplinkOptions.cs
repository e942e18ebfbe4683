using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Recorder.Uplink;

/// <summary>How this Recorder reaches the city's Console (section <c>Uplink</c>).</summary>
public sealed class UplinkOptions : IValidatableObject
{
    public const string Section = "Uplink";

    /// <summary>Base URL of the Console, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    [Required]
    public Uri? ConsoleUrl { get; set; }

    /// <summary>The site key an admin issued for this site.</summary>
    [Required]
    public string SiteKey { get; set; } = "";

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConsoleUrl is not null && (!ConsoleUrl.IsAbsoluteUri || (ConsoleUrl.Scheme != Uri.UriSchemeHttp && ConsoleUrl.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Uplink:ConsoleUrl '{ConsoleUrl}' must be an absolute http:// or https:// URL.", [nameof(ConsoleUrl)]);
        }

        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult($"Uplink:HeartbeatInterval {HeartbeatInterval} must be between 00:00:01 and 00:05:00.", [nameof(HeartbeatInterval)]);
        }

        if (RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult("Uplink:RetryInitialDelay must be positive and not above Uplink:RetryMaxDelay.", [nameof(RetryInitialDelay)]);
        }
    }
}
