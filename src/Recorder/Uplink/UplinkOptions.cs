using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Transport;

namespace ServiceHall.Recorder.Uplink;

/// <summary>How this Recorder reaches the city's Console (section <c>Uplink</c>).</summary>
public sealed class UplinkOptions : IValidatableObject
{
    public const string Section = "Uplink";

    /// <summary>Base URL of the Console, e.g. <c>https://console.example.gov.cn</c>; plain http only to a loopback address.</summary>
    [Required]
    public Uri? ConsoleUrl { get; set; }

    /// <summary>The site key an admin issued for this site.</summary>
    [Required]
    public string SiteKey { get; set; } = "";

    /// <summary>
    /// PEM file of the city's CA: when set, the Console's certificate must chain to it and to nothing else (the
    /// machine's trust store is not consulted); when empty, the machine's trust store decides.
    /// </summary>
    public string? CaCertificate { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events the outbox holds before publishers wait (backpressure); events are never dropped.</summary>
    public int OutboxMaxEvents { get; set; } = 1_000_000;

    /// <summary>Snapshot bytes the outbox holds; above it the oldest snapshots are shed, never their events.</summary>
    public long OutboxMaxSnapshotBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most events sent in one batch.</summary>
    public int BatchMaxEvents { get; set; } = 200;

    /// <summary>Most bytes (JSON, snapshots as base64) in one batch; keeps it under the Console's 2 MiB message limit.</summary>
    public int BatchMaxBytes { get; set; } = 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConsoleUrl is not null && (!ConsoleUrl.IsAbsoluteUri || (ConsoleUrl.Scheme != Uri.UriSchemeHttp && ConsoleUrl.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Uplink:ConsoleUrl '{ConsoleUrl}' must be an absolute http:// or https:// URL.", [nameof(ConsoleUrl)]);
        }
        else if (ConsoleUrl is not null && ConsoleUrl.Scheme == Uri.UriSchemeHttp && !ConsoleUrl.IsLoopback)
        {
            yield return new ValidationResult(
                $"Uplink:ConsoleUrl '{ConsoleUrl}' must be https://: the site key, events and video would cross the network in clear (plain http is accepted only to a loopback address).",
                [nameof(ConsoleUrl)]);
        }

        if (!string.IsNullOrEmpty(CaCertificate) && CaProblem(CaCertificate) is { } problem)
        {
            yield return new ValidationResult($"Uplink:CaCertificate '{CaCertificate}': {problem}.", [nameof(CaCertificate)]);
        }

        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult($"Uplink:HeartbeatInterval {HeartbeatInterval} must be between 00:00:01 and 00:05:00.", [nameof(HeartbeatInterval)]);
        }

        if (RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult("Uplink:RetryInitialDelay must be positive and not above Uplink:RetryMaxDelay.", [nameof(RetryInitialDelay)]);
        }

        if (OutboxMaxEvents < 100)
        {
            yield return new ValidationResult($"Uplink:OutboxMaxEvents {OutboxMaxEvents} must be at least 100.", [nameof(OutboxMaxEvents)]);
        }

        if (OutboxMaxSnapshotBytes < 0)
        {
            yield return new ValidationResult("Uplink:OutboxMaxSnapshotBytes must not be negative.", [nameof(OutboxMaxSnapshotBytes)]);
        }

        if (BatchMaxEvents is < 1 or > EventBatchLimits.MaxEvents)
        {
            yield return new ValidationResult($"Uplink:BatchMaxEvents {BatchMaxEvents} must be between 1 and {EventBatchLimits.MaxEvents}.", [nameof(BatchMaxEvents)]);
        }

        if (BatchMaxBytes is < 64 * 1024 or > 1536 * 1024)
        {
            yield return new ValidationResult($"Uplink:BatchMaxBytes {BatchMaxBytes} must be between 65536 and 1572864 (the Console accepts 2 MiB per message).", [nameof(BatchMaxBytes)]);
        }
    }

    private static string? CaProblem(string path)
    {
        if (!File.Exists(path))
        {
            return "no such file";
        }

        try
        {
            _ = TlsTrust.PinnedTo(path);
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidOperationException)
        {
            return ex.Message;
        }
    }
}
