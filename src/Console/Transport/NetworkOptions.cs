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

    public IEnumerable<IPAddress> ProxyAddresses() => KnownProxies.Select(IPAddress.Parse);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"Network:KnownProxies '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        if (HstsMaxAge < TimeSpan.Zero)
        {
            yield return new ValidationResult("Network:HstsMaxAge must not be negative.", [nameof(HstsMaxAge)]);
        }
    }
}
