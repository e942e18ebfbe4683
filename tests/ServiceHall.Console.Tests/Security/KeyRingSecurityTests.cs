using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Auth;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 11 (data-protection part): the keys that seal sign-in cookies lay on disk in clear, so a copy of the data
/// folder let anyone forge a session. The test reads the key ring files as such a copy would and finds no key in
/// them, and checks that a session still outlives a restart.
/// </summary>
public sealed class KeyRingSecurityTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task KeyRingFiles_HoldNoRawKey_InAnOwnerOnlyFolder_AndASessionOutlivesARestart()
    {
        using var data = new TempDirectory();
        var cookies = new CookieContainer();
        await using (var first = await ConsoleServer.StartAsync($"--Storage:DataDirectory={data.Path}"))
        {
            using var client = TestTls.Client(first.BaseAddress, cookies);
            (await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = ConsoleServer.AdminPassword })).EnsureSuccessStatusCode();
        }

        var keyFolder = data.Combine(KeyRingProtection.KeyFolder);
        var files = Directory.GetFiles(keyFolder, "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file);
            // In clear, a key is <masterKey ...><value>BASE64</value></masterKey>; encrypted, only EncryptedData remains.
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keyFolder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data.Combine(KeyRingProtection.ProtectorFolder, "protector.key")));

        await using var second = await ConsoleServer.StartAsync($"--Storage:DataDirectory={data.Path}");
        using var again = TestTls.Client(second.BaseAddress, cookies);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task ConfiguredCertificate_ProtectsTheKeyRing_AndAMissingOneStopsTheStart()
    {
        using var data = new TempDirectory();
        using var elsewhere = new TempDirectory();
        var certificate = elsewhere.Combine("kr.crt");
        var key = elsewhere.Combine("kr.key");
        string certificateData;
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test key ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            certificateData = Convert.ToBase64String(made.RawData);
            await File.WriteAllTextAsync(certificate, made.ExportCertificatePem());
            await File.WriteAllTextAsync(key, rsa.ExportPkcs8PrivateKeyPem());
        }

        await using (var server = await ConsoleServer.StartAsync($"--Storage:DataDirectory={data.Path}", $"--Auth:DataProtectionCertificate={certificate}", $"--Auth:DataProtectionCertificateKey={key}"))
        {
            using var admin = await server.SignedInClientAsync();
            Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/auth/me")).StatusCode);
        }

        var missing = Assert.Throws<OptionsValidationException>(() => ConsoleApp.Build([.. TestTls.ConsoleArgs(), $"--Storage:DataDirectory={data.Path}", $"--Auth:DataProtectionCertificate={elsewhere.Combine("none.crt")}", $"--Auth:DataProtectionCertificateKey={key}"]));

        Assert.False(Directory.Exists(data.Combine(KeyRingProtection.ProtectorFolder)));
        Assert.All(Directory.GetFiles(data.Combine(KeyRingProtection.KeyFolder), "*.xml"), f => Assert.Contains(certificateData, File.ReadAllText(f), StringComparison.Ordinal));
        Assert.Contains(missing.Failures, f => f.Contains("Auth:DataProtectionCertificate", StringComparison.Ordinal));
    }
}
