using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Signing;

/// <summary>One file a signature covers, by name and SHA-256 (lower-case hex).</summary>
public sealed record SignedFile(string Name, string Sha256);

/// <summary>Who signed, when and with which key, when the signature is good.</summary>
public sealed record SignedBy(string KeyId, string Signer, DateTimeOffset SignedAt, DateTimeOffset? KeyRetiredAt);

/// <summary>
/// What a signature says, as the text that is signed: the key, the signer, the time and the hashes of the files it
/// covers. Plain text so that a person (or <c>openssl dgst -verify</c>) can read and check it without ServiceHall:
/// <code>
/// ServiceHall signature v1
/// key-id: 3f2a…
/// algorithm: ECDSA-P256-SHA256
/// signer: 某市政务服务中心
/// signed-at: 2026-11-28T04:00:00.0000000+00:00
/// sha256: 9c1e…  SHA256SUMS
/// sha256: 41d0…  case.json
/// </code>
/// </summary>
public sealed record SignedStatement(string KeyId, string Algorithm, string Signer, DateTimeOffset SignedAt, IReadOnlyList<SignedFile> Files)
{
    public const string Header = "ServiceHall signature v1";

    public byte[] ToBytes()
    {
        var text = new StringBuilder()
            .Append(Header).Append('\n')
            .Append("key-id: ").Append(KeyId).Append('\n')
            .Append("algorithm: ").Append(Algorithm).Append('\n')
            .Append("signer: ").Append(Signer).Append('\n')
            .Append("signed-at: ").Append(SignedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var file in Files)
        {
            text.Append("sha256: ").Append(file.Sha256).Append("  ").Append(file.Name).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The statement, or null with why it cannot be read.</summary>
    public static (SignedStatement? Statement, string? Error) Parse(byte[] bytes)
    {
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header)
        {
            return (null, $"does not start with '{Header}'");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<SignedFile>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0)
            {
                return (null, $"unreadable line '{line}'");
            }

            var (name, value) = (line[..colon], line[(colon + 2)..]);
            if (name == "sha256")
            {
                var parts = value.Split("  ", 2);
                if (parts.Length != 2 || parts[0].Length != 64)
                {
                    return (null, $"unreadable line '{line}'");
                }

                files.Add(new SignedFile(parts[1], parts[0]));
            }
            else if (!fields.TryAdd(name, value))
            {
                return (null, $"'{name}' given twice");
            }
        }

        if (!fields.TryGetValue("key-id", out var keyId) || !fields.TryGetValue("algorithm", out var algorithm) || !fields.TryGetValue("signer", out var signer)
            || !fields.TryGetValue("signed-at", out var at) || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedAt))
        {
            return (null, "key-id, algorithm, signer and signed-at are required");
        }

        return (new SignedStatement(keyId, algorithm, signer, signedAt, files), null);
    }

    /// <summary>
    /// What is wrong with a signature over <paramref name="statement"/>: empty, with who signed, when it is by one of
    /// <paramref name="keys"/>, made while that key was current, and covers each of <paramref name="mustCover"/> with the
    /// hash <paramref name="actual"/> has for it.
    /// </summary>
    public static (SignedBy? SignedBy, IReadOnlyList<string> Problems) Check(
        byte[] statement, byte[] signature, IReadOnlyList<PublishedKey> keys, IReadOnlyDictionary<string, string> actual, IReadOnlyList<string> mustCover)
    {
        var (said, error) = Parse(statement);
        if (said is null)
        {
            return (null, [$"the signature statement is not valid: {error}"]);
        }

        if (keys.FirstOrDefault(k => k.KeyId == said.KeyId) is not { } key)
        {
            return (null, [$"signed with key {said.KeyId}, which is not one of this Console's published signing keys"]);
        }

        using var verifier = ECDsa.Create();
        verifier.ImportFromPem(key.PublicKeyPem);
        if (said.Algorithm != SigningKeys.Algorithm || !verifier.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            return (null, [$"the signature does not verify with key {key.KeyId}: the signed statement was changed or signed by someone else"]);
        }

        var problems = new List<string>();
        if (said.SignedAt < key.CreatedAt || said.SignedAt > key.RetiredAt)
        {
            problems.Add($"signed at {said.SignedAt:O}, outside the time key {key.KeyId} was in use ({key.CreatedAt:O} to {key.RetiredAt?.ToString("O", CultureInfo.InvariantCulture) ?? "now"})");
        }

        foreach (var name in mustCover)
        {
            var covered = said.Files.FirstOrDefault(f => f.Name == name);
            if (covered is null)
            {
                problems.Add($"{name}: not covered by the signature");
            }
            else if (!actual.TryGetValue(name, out var hash) || hash != covered.Sha256)
            {
                problems.Add($"{name}: SHA-256 {(hash ?? "(missing)")} is not the {covered.Sha256} that was signed");
            }
        }

        return (new SignedBy(key.KeyId, said.Signer, said.SignedAt, key.RetiredAt), problems);
    }
}

/// <summary>Signs statements with the Console's current key, as <see cref="SigningOptions.SignerName"/>, at the time of signing.</summary>
public sealed class StatementSigner(SigningKeys keys, IOptions<SigningOptions> options, TimeProvider time)
{
    /// <summary>The statement's bytes and its signature (DER, as <c>openssl dgst -sha256 -verify</c> reads it).</summary>
    public (byte[] Statement, byte[] Signature) Sign(IReadOnlyList<SignedFile> files)
    {
        var (key, signer) = keys.Current();
        using (signer)
        {
            var statement = new SignedStatement(key.KeyId, key.Algorithm, options.Value.SignerName, time.GetUtcNow(), files).ToBytes();
            return (statement, signer.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }
    }
}
