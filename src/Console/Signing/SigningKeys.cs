using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Secrets;

namespace ServiceHall.Console.Signing;

/// <summary>A public signing key as published at <c>GET /api/signing-keys</c> and in <c>signing/keys.json</c>.</summary>
public sealed record PublishedKey(string KeyId, string Algorithm, string PublicKeyPem, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

/// <summary>
/// The Console's package-signing keys (ECDSA P-256): <c>keys.json</c> lists every public key ever used, the current one
/// unretired; each private key is <c>{keyId}.key</c> (PKCS#8 PEM, mode 0600). Rotation makes a new key and retires the
/// old one, whose private half is deleted (it must never sign again) while its public half stays published, so every
/// package it signed still verifies. Read from disk on each use, so a rotation by command reaches a running Console.
/// </summary>
public sealed class SigningKeys
{
    public const string Algorithm = "ECDSA-P256-SHA256";
    private const string PublishedFile = "keys.json";
    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public SigningKeys(IOptions<StorageOptions> storage, TimeProvider time)
    {
        _directory = DirectoryOf(storage.Value.DataDirectory);
        _time = time;
    }

    public static string DirectoryOf(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "signing");

    /// <summary>The public keys file of a Console's data directory, for checking packages on the Console's host.</summary>
    public static string PublishedPathOf(string dataDirectory) => Path.Combine(DirectoryOf(dataDirectory), PublishedFile);

    /// <summary>Reads a published key list: <c>keys.json</c>, or what <c>GET /api/signing-keys</c> answered, saved to a file.</summary>
    public static IReadOnlyList<PublishedKey> ReadPublished(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<List<PublishedKey>>(File.ReadAllBytes(path), WireJson.Options) ?? [] : [];

    /// <summary>Every key this Console has signed with, oldest first.</summary>
    public IReadOnlyList<PublishedKey> Published() => ReadPublished(Path.Combine(_directory, PublishedFile));

    /// <summary>Makes the first key if there is none; the Console calls this at start so the key is published before any package.</summary>
    public PublishedKey EnsureCurrent()
    {
        lock (_gate)
        {
            return Published().FirstOrDefault(k => k.RetiredAt is null) ?? RotateLocked();
        }
    }

    /// <summary>A new current key; the previous one is retired now and its private key deleted.</summary>
    public PublishedKey Rotate()
    {
        lock (_gate)
        {
            return RotateLocked();
        }
    }

    /// <summary>The current key and its private half, to sign with; the caller disposes the <see cref="ECDsa"/>.</summary>
    public (PublishedKey Key, ECDsa Signer) Current()
    {
        lock (_gate)
        {
            var key = Published().FirstOrDefault(k => k.RetiredAt is null) ?? RotateLocked();
            if (!File.Exists(PrivatePath(key.KeyId)))
            {
                // A restore without the private key: that key can sign no more, so it is retired like any other.
                key = RotateLocked();
            }

            var signer = ECDsa.Create();
            signer.ImportFromPem(File.ReadAllText(PrivatePath(key.KeyId)));
            return (key, signer);
        }
    }

    /// <summary>A short stable id: the first 16 hex digits of the SHA-256 of the key's SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    private PublishedKey RotateLocked()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
        }
        else
        {
            Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var now = _time.GetUtcNow();
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = new PublishedKey(KeyIdOf(fresh), Algorithm, fresh.ExportSubjectPublicKeyInfoPem(), now, null);
        PrivateFile.WriteAllText(PrivatePath(key.KeyId), fresh.ExportPkcs8PrivateKeyPem());
        var previous = Published();
        List<PublishedKey> keys = [.. previous.Select(k => k.RetiredAt is null ? k with { RetiredAt = now } : k), key];
        // Published first, through a rename, so a reader never sees half a file; then the retired private keys go.
        var temp = Path.Combine(_directory, PublishedFile + ".tmp");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(keys, WireJson.Options));
        File.Move(temp, Path.Combine(_directory, PublishedFile), overwrite: true);
        foreach (var retired in previous.Where(k => k.RetiredAt is null))
        {
            File.Delete(PrivatePath(retired.KeyId));
        }

        return key;
    }

    private string PrivatePath(string keyId) => Path.Combine(_directory, keyId + ".key");
}
