using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ServiceHall.Console.Metrics;

/// <summary>
/// Who may read <c>/metrics</c> (section <c>Metrics</c>). The page names every site, so it is never public: a scraper
/// on the Console's host reads it over loopback; one elsewhere either comes from an address listed here or presents
/// the scrape token as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>A secret of at least 32 characters a remote Prometheus sends (<c>bearer_token_file</c>); none by default.</summary>
    public string? ScrapeToken { get; set; }

    /// <summary>Addresses or networks (<c>10.1.2.3</c>, <c>10.1.0.0/16</c>) allowed to scrape without the token, besides loopback.</summary>
    public IList<string> AllowedAddresses { get; } = [];

    public IReadOnlyList<IPNetwork> AllowedNetworks() => [.. AllowedAddresses.Select(Network).OfType<IPNetwork>()];

    private static IPNetwork? Network(string text) =>
        IPNetwork.TryParse(text, out var network) ? network
        : IPAddress.TryParse(text, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
        : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ScrapeToken is { } token && token.Length < 32)
        {
            yield return new ValidationResult($"Metrics:ScrapeToken must be at least 32 characters (it has {token.Length}); make one with `openssl rand -hex 32`.", [nameof(ScrapeToken)]);
        }

        foreach (var entry in AllowedAddresses.Where(a => Network(a) is null))
        {
            yield return new ValidationResult($"Metrics:AllowedAddresses '{entry}' is neither an IP address nor a network like 10.1.0.0/16.", [nameof(AllowedAddresses)]);
        }
    }
}
