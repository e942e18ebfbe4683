using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ServiceHall.Console.Transport;

/// <summary>How the Console is reached (section <c>Network</c>): directly over HTTPS, or through TLS proxies it knows.</summary>
public sealed class NetworkOptions : IValidatableObject
{
    public const string Section = "Network";

    /// <summary>
    /// Addresses of the TLS proxies in front of the Console: only their <c>X-Forwarded-For</c> and
    /// <c>X-Forwarded-Proto</c> are believed. Empty: the Console terminates TLS itself and believes no forwarded header.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>How long browsers remember to use HTTPS only (HSTS).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Origins besides the Console's own (scheme and host of the request) whose pages may change state and open the hubs,
    /// as <c>https://host[:port]</c>; empty by default: only pages the Console itself served.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public IEnumerable<IPAddress> ProxyAddresses() => KnownProxies.Select(IPAddress.Parse);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Network:KnownProxies '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var origin in AllowedOrigins.Where(o => !IsOrigin(o)))
        {
            yield return new ValidationResult($"Network:AllowedOrigins '{origin}' is not an origin (https://host[:port], no path).", [nameof(AllowedOrigins)]);
        }

        if (HstsMaxAge < TimeSpan.Zero)
        {
            yield return new ValidationResult("Network:HstsMaxAge must not be negative.", [nameof(HstsMaxAge)]);
        }
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);
}
