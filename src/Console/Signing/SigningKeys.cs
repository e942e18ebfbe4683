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
/// package it signed still verifies. Read from disk on each use, so a rotation by command, or by another Console node
/// sharing the folder (<see cref="StorageOptions.SigningDirectory"/>), is what the next signature uses. Every read and
/// change holds an exclusive lock on <c>.lock</c> in the folder (flock; across processes and nodes, NFSv4 included), so
/// two nodes starting at once cannot both make a first key, and a rotation cannot delete a private key being read.
/// </summary>
public sealed class SigningKeys
{
    public const string Algorithm = "ECDSA-P256-SHA256";
    private const string PublishedFile = "keys.json";
    private const string LockFile = ".lock";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockRetryPause = TimeSpan.FromMilliseconds(10);
    private readonly string _directory;
    private readonly TimeProvider _time;

    public SigningKeys(IOptions<StorageOptions> storage, TimeProvider time)
    {
        _directory = storage.Value.SigningRoot;
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
        using (Lock())
        {
            return Published().FirstOrDefault(k => k.RetiredAt is null) ?? RotateLocked();
        }
    }

    /// <summary>A new current key; the previous one is retired now and its private key deleted.</summary>
    public PublishedKey Rotate()
    {
        using (Lock())
        {
            return RotateLocked();
        }
    }

    /// <summary>The current key and its private half, to sign with; the caller disposes the <see cref="ECDsa"/>.</summary>
    public (PublishedKey Key, ECDsa Signer) Current()
    {
        using (Lock())
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

    /// <summary>
    /// The folder's lock, held until disposed. .NET takes an exclusive flock for <see cref="FileShare.None"/>, which
    /// fails at once while another handle holds it (in this process or another): retried until it is free.
    /// </summary>
    private FileStream Lock()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_directory);
        }
        else
        {
            Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(_directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_time.GetElapsedTime(started) < LockWait)
            {
                // Held by another node's read or rotation, a few milliseconds. The callers are synchronous (signing a
                // package, start-up), so the pause blocks this thread, timed by the injected clock.
                Task.Delay(LockRetryPause, _time).GetAwaiter().GetResult();
            }
        }
    }

    private PublishedKey RotateLocked()
    {
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
