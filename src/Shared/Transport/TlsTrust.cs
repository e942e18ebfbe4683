using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ServiceHall.Shared.Transport;

/// <summary>
/// Whom a client trusts for TLS: the machine's trust store, or only a pinned CA (the city's own, set up once per
/// installation). Pinning never turns validation off: the name must match and the chain must end at the pinned CA.
/// </summary>
public sealed class TlsTrust
{
    private readonly X509Certificate2? _ca;

    private TlsTrust(X509Certificate2? ca) => _ca = ca;

    /// <summary>The operating system's trust store, as any HTTPS client.</summary>
    public static TlsTrust System { get; } = new(null);

    /// <summary>Only certificates issued by the CA in the PEM (or DER) file at <paramref name="path"/>.</summary>
    public static TlsTrust PinnedTo(string path)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(path);
        if (!IsCertificateAuthority(ca))
        {
            ca.Dispose();
            throw new InvalidOperationException($"'{path}' is not a CA certificate (basic constraints CA:TRUE)");
        }

        return new TlsTrust(ca);
    }

    /// <summary>The pinned CA's thumbprint, or null when the system store decides.</summary>
    public string? PinnedThumbprint => _ca?.Thumbprint;

    /// <summary>A certificate validation callback for <see cref="SslClientAuthenticationOptions"/> and friends.</summary>
    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_ca is null)
        {
            return errors == SslPolicyErrors.None;
        }

        // The chain error is the one the pin replaces; a wrong host name or no certificate is never forgiven.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var pinned = new X509Chain();
        pinned.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        pinned.ChainPolicy.CustomTrustStore.Add(_ca);
        // A private installation CA publishes no revocation list.
        pinned.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            pinned.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return pinned.Build(leaf) && pinned.ChainElements[^1].Certificate.Thumbprint == _ca.Thumbprint;
    }

    /// <summary>An HTTP handler that validates the server with this trust.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    };

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
}
