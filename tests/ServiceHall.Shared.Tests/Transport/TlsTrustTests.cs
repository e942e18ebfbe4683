using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ServiceHall.Shared.Transport;

namespace ServiceHall.Shared.Tests.Transport;

public sealed class TlsTrustTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tlstrust-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PinnedCa_AcceptsItsOwnServerCertificate_RefusesOneFromAnotherCa()
    {
        using var cityCa = Ca("city");
        using var otherCa = Ca("attacker");
        using var genuine = Leaf(cityCa);
        using var forged = Leaf(otherCa);
        var trust = TlsTrust.PinnedTo(WritePem(cityCa, "city.crt"));

        // The system store knows neither CA, so the socket reports a chain error in both cases: the pin decides.
        Assert.True(trust.Validate(null, genuine, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Validate(null, forged, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void PinnedCa_NeverForgivesAWrongHostNameOrAMissingCertificate()
    {
        using var cityCa = Ca("city");
        using var genuine = Leaf(cityCa);
        var trust = TlsTrust.PinnedTo(WritePem(cityCa, "city.crt"));

        Assert.False(trust.Validate(null, genuine, null, SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(trust.Validate(null, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void SystemTrust_AcceptsOnlyWhatTheSocketAlreadyAccepted()
    {
        using var cityCa = Ca("city");
        using var genuine = Leaf(cityCa);

        Assert.True(TlsTrust.System.Validate(null, genuine, null, SslPolicyErrors.None));
        Assert.False(TlsTrust.System.Validate(null, genuine, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void PinnedTo_AServerCertificateInsteadOfACa_IsRefusedWithAReason()
    {
        using var cityCa = Ca("city");
        using var leaf = Leaf(cityCa);

        var ex = Assert.Throws<InvalidOperationException>(() => TlsTrust.PinnedTo(WritePem(leaf, "leaf.crt")));
        Assert.Contains("not a CA certificate", ex.Message, StringComparison.Ordinal);
    }

    private string WritePem(X509Certificate2 certificate, string name)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static X509Certificate2 Ca(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name} CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var serial = RandomNumberGenerator.GetBytes(8);
        return request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
    }
}
