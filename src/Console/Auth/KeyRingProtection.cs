using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Secrets;

namespace ServiceHall.Console.Auth;

/// <summary>
/// The data-protection key ring (what sign-in cookies are sealed with) is kept in <c>keys/</c> of the data folder,
/// a folder only the service user can open, and every key in it is encrypted with a certificate's RSA public key;
/// reading a key back needs that certificate's private key. The certificate is <see cref="AuthOptions.DataProtectionCertificate"/>
/// (kept outside the data folder and its backups), or, when none is configured, one made at first start in
/// <c>keys-protector/</c> of the data folder (which still keeps the keys out of a copy that leaves that folder out).
/// </summary>
public static class KeyRingProtection
{
    public const string KeyFolder = "keys";
    public const string ProtectorFolder = "keys-protector";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void AddKeyRingProtection(this IServiceCollection services, AuthOptions options, string dataDirectory)
    {
        var keys = Path.Combine(Path.GetFullPath(dataDirectory), KeyFolder);
        CreateOwnerOnlyFolder(keys);
        // One application name on every node: the default is the install path, which would make nodes installed in
        // different folders unable to open each other's cookies.
        var builder = services.AddDataProtection().SetApplicationName("servicehall-console").PersistKeysToFileSystem(new DirectoryInfo(keys));
        // On PostgreSQL the key ring is the database's, shared by the nodes (registered after the folder, so it wins).
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, IServiceProvider>((keyRing, storage, provider) =>
        {
            if (storage.Value.UsesPostgres)
            {
                keyRing.XmlRepository = new PostgresKeyRing(provider.GetRequiredService<PostgresDatabase>());
            }
        });
        services.AddSingleton<IValidateOptions<AuthOptions>, SharedKeyRingCheck>();
        if (Problem(options) is not null)
        {
            // The start is refused when the options are checked, naming the keys; nothing is read or written before.
            return;
        }

        var certificate = Load(options, dataDirectory);
        // Unprotect: decryption would otherwise look for the certificate in the user's X.509 store, where it is not.
        builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    /// <summary>Why the configured certificate cannot protect the key ring; null when it can (or none is configured).</summary>
    public static string? Problem(AuthOptions options)
    {
        if (options.DataProtectionCertificate.Length == 0 && options.DataProtectionCertificateKey.Length == 0)
        {
            return null;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(options.DataProtectionCertificate, options.DataProtectionCertificateKey);
            using var rsa = certificate.GetRSAPrivateKey();
            return rsa is null ? "Auth:DataProtectionCertificate must be an RSA certificate (Auth:DataProtectionCertificateKey its PEM private key)" : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return $"Auth:DataProtectionCertificate and Auth:DataProtectionCertificateKey must name a readable PEM certificate and its private key: {ex.Message}";
        }
    }

    private static X509Certificate2 Load(AuthOptions options, string dataDirectory)
    {
        if (options.DataProtectionCertificate.Length > 0)
        {
            return X509Certificate2.CreateFromPemFile(options.DataProtectionCertificate, options.DataProtectionCertificateKey);
        }

        var folder = Path.Combine(Path.GetFullPath(dataDirectory), ProtectorFolder);
        var certificatePath = Path.Combine(folder, "protector.crt");
        var keyPath = Path.Combine(folder, "protector.key");
        if (!File.Exists(certificatePath) || !File.Exists(keyPath))
        {
            CreateOwnerOnlyFolder(folder);
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=ServiceHall Console key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            // Made while the services are registered, before any TimeProvider exists; only its validity depends on it.
            var now = TimeProvider.System.GetUtcNow();
            using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
            PrivateFile.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            PrivateFile.WriteAllText(certificatePath, made.ExportCertificatePem());
        }

        return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
    }

    /// <summary>
    /// Nodes sharing a key ring must share the certificate that encrypts it: a certificate made at first start in one
    /// node's data folder would leave the others unable to read the keys, so PostgreSQL requires a configured one.
    /// </summary>
    private sealed class SharedKeyRingCheck(IOptions<StorageOptions> storage) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
            storage.Value.UsesPostgres && options.DataProtectionCertificate.Length == 0
                ? ValidateOptionsResult.Fail("Auth:DataProtectionCertificate (and Auth:DataProtectionCertificateKey) are required when Storage:Provider is 'postgres': every node must encrypt the shared key ring with the same certificate")
                : ValidateOptionsResult.Success;
    }

    /// <summary>Key folders are made owner-only before the first key is written into them (and narrowed if they exist).</summary>
    private static void CreateOwnerOnlyFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, OwnerOnly);
        File.SetUnixFileMode(folder, OwnerOnly);
    }
}
