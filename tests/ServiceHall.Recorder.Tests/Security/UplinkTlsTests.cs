using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Tests.Uplink;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Configuration;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Security;

/// <summary>Finding 1 of the security review: the Recorder talked to any Console, in clear if told to.</summary>
public sealed class UplinkTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("http://192.0.2.10:5080", true)]
    [InlineData("http://console.example.gov.cn", true)]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("https://console.example.gov.cn", false)]
    public void PlainHttpConsoleUrl_IsRefusedExceptOnLoopback(string url, bool refused)
    {
        var failures = Failures(new UplinkOptions { ConsoleUrl = new Uri(url), SiteKey = "k" });

        Assert.Equal(refused, failures.Any(f => f.StartsWith("Uplink:ConsoleUrl", StringComparison.Ordinal) && f.Contains("must be https://", StringComparison.Ordinal)));
    }

    [Fact]
    public void CaCertificate_MissingOrNotACa_StopsTheStartNamingTheKey()
    {
        var missing = Failures(new UplinkOptions { ConsoleUrl = new Uri("https://c.example"), SiteKey = "k", CaCertificate = _dir.Combine("nope.crt") });
        var leaf = Failures(new UplinkOptions { ConsoleUrl = new Uri("https://c.example"), SiteKey = "k", CaCertificate = TestTls.CertificatePath });
        var ok = Failures(new UplinkOptions { ConsoleUrl = new Uri("https://c.example"), SiteKey = "k", CaCertificate = TestTls.CaPath });

        Assert.Contains(missing, f => f.StartsWith("Uplink:CaCertificate", StringComparison.Ordinal) && f.Contains("no such file", StringComparison.Ordinal));
        Assert.Contains(leaf, f => f.StartsWith("Uplink:CaCertificate", StringComparison.Ordinal) && f.Contains("not a CA certificate", StringComparison.Ordinal));
        Assert.Empty(ok);
    }

    [Fact]
    public async Task AConsoleWhoseCertificateIsNotFromThePinnedCa_IsNeverTalkedTo()
    {
        // A machine in the middle with a valid-looking certificate from another CA: the Recorder pins the city's CA.
        await using var console = await ConsoleServer.StartAsync();
        var key = console.AddSite("hall-a");
        var otherCa = WriteOtherCa();

        await using (var pinnedElsewhere = await UplinkRig.StartAsync(_dir.Combine("mitm"), console.BaseAddress, "hall-a", key, TimeProvider.System, o => o.CaCertificate = otherCa))
        {
            await Eventually.True(() => pinnedElsewhere.LogLines.Count("Cannot reach Console") >= 2, TimeSpan.FromSeconds(30), "two refused connection attempts");
            Assert.False(pinnedElsewhere.Link.IsConnected);
            Assert.Contains(pinnedElsewhere.LogLines.Lines, l => l.Contains("SSL", StringComparison.OrdinalIgnoreCase) || l.Contains("certificate", StringComparison.OrdinalIgnoreCase));
        }

        await using var pinnedToCity = await UplinkRig.StartAsync(_dir.Combine("city"), console.BaseAddress, "hall-a", key, TimeProvider.System);
        await Eventually.True(() => pinnedToCity.Link.IsConnected, TimeSpan.FromSeconds(30), "the Recorder pinned to the city's CA to connect");
    }

    private static IReadOnlyList<string> Failures(UplinkOptions options)
    {
        var result = new SectionValidator<UplinkOptions>(UplinkOptions.Section).Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    private string WriteOtherCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Not the city's CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = _dir.Combine("other-ca.crt");
        File.WriteAllText(path, ca.ExportCertificatePem());
        return path;
    }
}
