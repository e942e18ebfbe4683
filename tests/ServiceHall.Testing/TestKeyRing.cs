using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServiceHall.Testing;

/// <summary>
/// One RSA certificate per test process for the Console's key ring (<c>Auth:DataProtectionCertificate</c>), which
/// nodes sharing a PostgreSQL database must share.
/// </summary>
public static class TestKeyRing
{
    private static readonly Lazy<(string Certificate, string Key)> Files = new(Create);

    public static string[] ConsoleArgs() =>
        [$"--Auth:DataProtectionCertificate={Files.Value.Certificate}", $"--Auth:DataProtectionCertificateKey={Files.Value.Key}"];

    /// <summary>The arguments of a Console node on PostgreSQL: provider, connection string and the shared key-ring certificate.</summary>
    public static string[] PostgresConsoleArgs(string connectionString) =>
        ["--Storage:Provider=postgres", $"--Storage:ConnectionString={connectionString}", .. ConsoleArgs()];

    private static (string, string) Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "servicehall-tests", $"keyring-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        var certificate = Path.Combine(folder, "keyring.crt");
        var key = Path.Combine(folder, "keyring.key");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ServiceHall test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(certificate, made.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (certificate, key);
    }
}
