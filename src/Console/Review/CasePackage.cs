using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ServiceHall.Console.Signing;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>
/// A case as a zip a supervisor can hand on: the clip, the Recorder's manifest, <c>case.json</c>, a <c>SHA256SUMS</c>
/// file in the format <c>sha256sum -c</c> reads, and the Console's signature over <c>SHA256SUMS</c> and <c>case.json</c>.
/// Anyone with the Console's published public keys can check it without the Console. An HEVC clip comes with its
/// H.264 viewing copy (<c>….view.mp4</c>, hashed in the manifest and in <c>SHA256SUMS</c>) and a <c>README.txt</c>
/// saying which file is the evidence and which is only for watching.
/// </summary>
public static class CasePackage
{
    public const string SumsEntry = "SHA256SUMS";
    public const string ManifestEntry = "manifest.json";
    public const string CaseEntry = "case.json";
    public const string ReadmeEntry = "README.txt";

    /// <summary>The signed statement (text: key, signer, time, hashes of <c>SHA256SUMS</c> and <c>case.json</c>).</summary>
    public const string SignatureEntry = "SIGNATURE";

    /// <summary>The ECDSA signature of <see cref="SignatureEntry"/>, DER as <c>openssl dgst -sha256 -verify</c> reads it.</summary>
    public const string SignatureBlobEntry = "SIGNATURE.sig";

    private const string DataDirectoryOption = "--Storage:DataDirectory=";

    // case.json is read by people too: keep Chinese reasons readable rather than \u-escaped.
    private static readonly JsonSerializerOptions CaseJson = new(WireJson.Options) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static string ClipEntry(ClipRecord clip) => $"{clip.SiteId}-{clip.CameraId}-{clip.Id}.mp4";

    public static string ViewingCopyEntry(ClipRecord clip) => $"{clip.SiteId}-{clip.CameraId}-{clip.Id}.view.mp4";

    /// <summary>
    /// Writes the package; the clip is stored, not deflated (video does not compress, and hashing stays cheap).
    /// Throws <see cref="EvidenceTamperedException"/> when the clip's bytes are not those hashed when the case was kept.
    /// </summary>
    public static async Task WriteAsync(Stream output, CaseRecord kept, ClipRecord clip, string clipPath, string manifestPath, StatementSigner signer, CancellationToken ct, string? viewingCopyPath = null)
    {
        var caseJson = JsonSerializer.SerializeToUtf8Bytes(kept.View(), CaseJson);
        var manifest = await File.ReadAllBytesAsync(manifestPath, ct);
        var viewingCopy = JsonSerializer.Deserialize<ClipExported>(manifest, WireJson.Options)?.ViewingCopy;
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        string clipHash;
        await using (var entry = await zip.CreateEntry(ClipEntry(clip), CompressionLevel.NoCompression).OpenAsync(ct))
        await using (var file = File.OpenRead(clipPath))
        {
            clipHash = await CopyHashingAsync(file, entry, ct);
        }

        // Hashed while copied, so the bytes compared are the bytes packed, with no moment between check and copy.
        var expected = kept.Sha256.Length > 0 ? kept.Sha256 : clip.Sha256 ?? "";
        if (!string.Equals(clipHash, expected, StringComparison.Ordinal))
        {
            throw new EvidenceTamperedException(expected, clipHash);
        }

        var sums = new StringBuilder()
            .Append(clipHash).Append("  ").Append(ClipEntry(clip)).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(manifest))).Append("  ").Append(ManifestEntry).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(caseJson))).Append("  ").Append(CaseEntry).Append('\n');
        if (viewingCopy is not null && viewingCopyPath is not null)
        {
            await using (var entry = await zip.CreateEntry(ViewingCopyEntry(clip), CompressionLevel.NoCompression).OpenAsync(ct))
            await using (var file = File.OpenRead(viewingCopyPath))
            {
                sums.Append(await CopyHashingAsync(file, entry, ct)).Append("  ").Append(ViewingCopyEntry(clip)).Append('\n');
            }

            var readme = Encoding.UTF8.GetBytes(Readme(clip, viewingCopy));
            sums.Append(Convert.ToHexStringLower(SHA256.HashData(readme))).Append("  ").Append(ReadmeEntry).Append('\n');
            await WriteEntryAsync(zip, ReadmeEntry, readme, ct);
        }

        await WriteEntryAsync(zip, ManifestEntry, manifest, ct);
        await WriteEntryAsync(zip, CaseEntry, caseJson, ct);
        var sumsBytes = Encoding.UTF8.GetBytes(sums.ToString());
        await WriteEntryAsync(zip, SumsEntry, sumsBytes, ct);
        // SHA256SUMS covers every file; signing it and case.json says who vouches for them, and when.
        var (statement, signature) = signer.Sign([new SignedFile(SumsEntry, Convert.ToHexStringLower(SHA256.HashData(sumsBytes))), new SignedFile(CaseEntry, Convert.ToHexStringLower(SHA256.HashData(caseJson)))]);
        await WriteEntryAsync(zip, SignatureEntry, statement, ct);
        await WriteEntryAsync(zip, SignatureBlobEntry, signature, ct);
    }

    private static string Readme(ClipRecord clip, ClipViewingCopy view) =>
        $"""
        证据 / Evidence: {ClipEntry(clip)}
          摄像机原始码流（H.265/HEVC），按原样复制，未重新编码；其 SHA-256 见 manifest.json 的 sha256。
          The camera's own H.265 (HEVC) packets, copied as recorded, never re-encoded; SHA-256 in manifest.json "sha256".
        观看副本 / Viewing copy: {ViewingCopyEntry(clip)}
          为不能播放 H.265 的浏览器转码的 H.264 副本（{view.Width}x{view.Height}），仅供观看，不是证据。
          An H.264 transcode ({view.Width}x{view.Height}) for players without HEVC: for watching only, NOT the evidence;
          SHA-256 in manifest.json "viewingCopy".

        """;

    private static async Task<string> CopyHashingAsync(Stream source, Stream destination, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// What is wrong with a package (empty when every file matches its sum, the clip matches the manifest, and the
    /// signature is good and by one of <paramref name="keys"/>), and who signed it. Every entry is read through a cap
    /// (<paramref name="maxEntryBytes"/> and the package's own size for the clip, <see cref="PackageLimits.MaxTextEntryBytes"/> for the small files), counted as
    /// it inflates, so a deflate bomb stops at the cap with <see cref="PackageTooLargeException"/>.
    /// </summary>
    public static PackageVerdict Verify(Stream package, IReadOnlyList<PublishedKey> keys, long maxEntryBytes)
    {
        if (PackageLimits.CentralDirectoryRefusal(package) is { } refusal)
        {
            throw new PackageTooLargeException(refusal);
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return new PackageVerdict([$"not a zip file: {ex.Message}"], null);
        }

        using (zip)
        {
            try
            {
                // The clip is stored, not deflated, and the small files have their own cap: no entry of a real package
                // inflates to more than the whole package, so a deflate bomb stops as soon as it gets there.
                return VerifyEntries(zip, keys, Math.Min(maxEntryBytes, package.Length));
            }
            catch (InvalidDataException ex)
            {
                return new PackageVerdict([$"the zip is damaged: {ex.Message}"], null);
            }
        }
    }

    private static PackageVerdict VerifyEntries(ZipArchive zip, IReadOnlyList<PublishedKey> keys, long maxEntryBytes)
    {
        var problems = new List<string>();
        problems.AddRange(zip.Entries.GroupBy(e => e.FullName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key}: appears more than once"));
        if (zip.GetEntry(SumsEntry) is not { } sumsEntry)
        {
            return new PackageVerdict([.. problems, $"{SumsEntry} is missing"], null);
        }

        var sumsBytes = PackageLimits.ReadSmall(sumsEntry);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(sumsBytes).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || parts[0].Length != 64)
            {
                problems.Add($"{SumsEntry}: unreadable line '{line}'");
                continue;
            }

            expected[parts[1].TrimStart('*')] = parts[0].ToLowerInvariant();
        }

        var actual = new Dictionary<string, string>(StringComparer.Ordinal) { [SumsEntry] = Convert.ToHexStringLower(SHA256.HashData(sumsBytes)) };
        foreach (var entry in zip.Entries.Where(e => e.FullName is not (SumsEntry or SignatureEntry or SignatureBlobEntry)))
        {
            actual[entry.FullName] = PackageLimits.Hash(entry, maxEntryBytes);
            if (!expected.TryGetValue(entry.FullName, out var sum))
            {
                problems.Add($"{entry.FullName}: not listed in {SumsEntry}");
            }
            else if (sum != actual[entry.FullName])
            {
                problems.Add($"{entry.FullName}: SHA-256 {actual[entry.FullName]} does not match {SumsEntry} ({sum})");
            }
        }

        problems.AddRange(expected.Keys.Where(name => !actual.ContainsKey(name)).Select(name => $"{name}: listed in {SumsEntry} but missing"));
        problems.AddRange(CheckManifest(zip, actual));
        if (zip.GetEntry(SignatureEntry) is not { } statement || zip.GetEntry(SignatureBlobEntry) is not { } signature)
        {
            problems.Add($"not signed: {SignatureEntry} or {SignatureBlobEntry} is missing");
            return new PackageVerdict(problems, null);
        }

        var (signedBy, signatureProblems) = SignedStatement.Check(PackageLimits.ReadSmall(statement), PackageLimits.ReadSmall(signature), keys, actual, [SumsEntry, CaseEntry]);
        problems.AddRange(signatureProblems);
        return new PackageVerdict(problems, signedBy);
    }

    private static List<string> CheckManifest(ZipArchive zip, Dictionary<string, string> actual)
    {
        if (zip.GetEntry(ManifestEntry) is not { } manifestEntry)
        {
            return [$"{ManifestEntry} is missing"];
        }

        ClipExported? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ClipExported>(PackageLimits.ReadSmall(manifestEntry), WireJson.Options);
        }
        catch (JsonException ex)
        {
            return [$"{ManifestEntry} is not valid: {ex.Message}"];
        }

        var clipName = $"{manifest?.SiteId}-{manifest?.CameraId}-{manifest?.ClipId}.mp4";
        if (manifest is null || zip.GetEntry(clipName) is not { } clipEntry)
        {
            return [$"the clip {clipName} named by {ManifestEntry} is missing"];
        }

        var problems = new List<string>();
        if (clipEntry.Length != manifest.Bytes)
        {
            problems.Add($"{clipName}: {clipEntry.Length} bytes, {ManifestEntry} says {manifest.Bytes}");
        }

        if (actual[clipName] != manifest.Sha256)
        {
            problems.Add($"{clipName}: SHA-256 {actual[clipName]} does not match {ManifestEntry} ({manifest.Sha256})");
        }

        var viewName = $"{manifest.SiteId}-{manifest.CameraId}-{manifest.ClipId}.view.mp4";
        if (manifest.ViewingCopy is { } view && (!actual.TryGetValue(viewName, out var viewHash) || viewHash != view.Sha256))
        {
            problems.Add($"{viewName}: the viewing copy is missing or does not match {ManifestEntry} ({view.Sha256})");
        }

        return problems;
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, byte[] content, CancellationToken ct)
    {
        await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
        await entry.WriteAsync(content, ct);
    }

    /// <summary>
    /// <c>verify CASE.zip [--keys KEYS.json] [--Storage:DataDirectory=DIR]</c> from the command line: 0 when intact and
    /// signed by a published key, 1 with what is wrong, 2 when a file cannot be read. The public keys come from a file
    /// saved from <c>GET /api/signing-keys</c>, or else from the Console's data directory on its own host.
    /// </summary>
    public static int VerifyCommand(string path, IReadOnlyList<string> options, TextWriter output)
    {
        var keysAt = options.SkipWhile(o => o != "--keys").Skip(1).FirstOrDefault()
            ?? SigningKeys.PublishedPathOf(options.FirstOrDefault(o => o.StartsWith(DataDirectoryOption, StringComparison.Ordinal))?[DataDirectoryOption.Length..] ?? new StorageOptions().DataDirectory);
        try
        {
            var keys = SigningKeys.ReadPublished(keysAt);
            if (keys.Count == 0)
            {
                output.WriteLine($"no public signing keys in {keysAt}: save them with curl https://CONSOLE{SigningEndpoints.KeysPath} -o keys.json and pass --keys keys.json");
                return 2;
            }

            using var file = File.OpenRead(path);
            var verdict = Verify(file, keys, long.MaxValue);
            output.WriteLine($"{(verdict.Problems.Count == 0 ? "intact" : "NOT intact")}: {path}");
            if (verdict.SignedBy is { } by)
            {
                var retired = by.KeyRetiredAt is { } at ? $"; the key was retired at {at:O}" : "";
                output.WriteLine($"  signed by {by.Signer} at {by.SignedAt:O} with key {by.KeyId}{retired}");
            }

            foreach (var problem in verdict.Problems)
            {
                output.WriteLine($"  {problem}");
            }

            return verdict.Problems.Count == 0 ? 0 : 1;
        }
        catch (PackageTooLargeException ex)
        {
            output.WriteLine($"NOT intact: {path}\n  {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            output.WriteLine($"cannot read {path} or {keysAt}: {ex.Message}");
            return 2;
        }
    }
}

/// <summary>A kept clip's file no longer has the SHA-256 recorded when its case was kept: it was changed or replaced.</summary>
public sealed class EvidenceTamperedException(string expected, string actual)
    : Exception($"the clip's SHA-256 is {actual}, but {expected} was recorded when the case was kept")
{
    public string Expected { get; } = expected;

    public string Actual { get; } = actual;
}

/// <summary>What checking a package found, and who signed it when the signature is good.</summary>
public sealed record PackageVerdict(IReadOnlyList<string> Problems, SignedBy? SignedBy);
