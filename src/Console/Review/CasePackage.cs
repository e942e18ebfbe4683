using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>
/// A case as a zip a supervisor can hand on: the clip, the Recorder's manifest, <c>case.json</c> and a <c>SHA256SUMS</c>
/// file in the format <c>sha256sum -c</c> reads. Anyone can check it without the Console.
/// </summary>
public static class CasePackage
{
    public const string SumsEntry = "SHA256SUMS";
    public const string ManifestEntry = "manifest.json";
    public const string CaseEntry = "case.json";

    // case.json is read by people too: keep Chinese reasons readable rather than \u-escaped.
    private static readonly JsonSerializerOptions CaseJson = new(WireJson.Options) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static string ClipEntry(ClipRecord clip) => $"{clip.SiteId}-{clip.CameraId}-{clip.Id}.mp4";

    /// <summary>
    /// Writes the package; the clip is stored, not deflated (video does not compress, and hashing stays cheap).
    /// Throws <see cref="EvidenceTamperedException"/> when the clip's bytes are not those hashed when the case was kept.
    /// </summary>
    public static async Task WriteAsync(Stream output, CaseRecord kept, ClipRecord clip, string clipPath, string manifestPath, CancellationToken ct)
    {
        var caseJson = JsonSerializer.SerializeToUtf8Bytes(kept.View(), CaseJson);
        var manifest = await File.ReadAllBytesAsync(manifestPath, ct);
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
            .Append(Convert.ToHexStringLower(SHA256.HashData(caseJson))).Append("  ").Append(CaseEntry).Append('\n')
            .ToString();

        await WriteEntryAsync(zip, ManifestEntry, manifest, ct);
        await WriteEntryAsync(zip, CaseEntry, caseJson, ct);
        await WriteEntryAsync(zip, SumsEntry, Encoding.UTF8.GetBytes(sums), ct);
    }

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

    /// <summary>What is wrong with a package; empty when every file matches its sum and the clip matches the manifest.</summary>
    public static IReadOnlyList<string> Verify(Stream package)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return [$"not a zip file: {ex.Message}"];
        }

        using (zip)
        {
            try
            {
                return VerifyEntries(zip);
            }
            catch (InvalidDataException ex)
            {
                return [$"the zip is damaged: {ex.Message}"];
            }
        }
    }

    private static List<string> VerifyEntries(ZipArchive zip)
    {
        var problems = new List<string>();
        if (zip.GetEntry(SumsEntry) is not { } sumsEntry)
        {
            return [$"{SumsEntry} is missing"];
        }

        string sums;
        using (var reader = new StreamReader(sumsEntry.Open()))
        {
            sums = reader.ReadToEnd();
        }

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in sums.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || parts[0].Length != 64)
            {
                problems.Add($"{SumsEntry}: unreadable line '{line}'");
                continue;
            }

            expected[parts[1].TrimStart('*')] = parts[0].ToLowerInvariant();
        }

        var actual = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries.Where(e => e.FullName != SumsEntry))
        {
            using var stream = entry.Open();
            actual[entry.FullName] = Convert.ToHexStringLower(SHA256.HashData(stream));
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
        return problems;
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
            using var stream = manifestEntry.Open();
            manifest = JsonSerializer.Deserialize<ClipExported>(stream, WireJson.Options);
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

        return problems;
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string name, byte[] content, CancellationToken ct)
    {
        await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
        await entry.WriteAsync(content, ct);
    }

    /// <summary><c>verify CASE.zip</c> from the command line: 0 when intact, 1 with what is wrong, 2 when the file cannot be read.</summary>
    public static int VerifyCommand(string path, TextWriter output)
    {
        try
        {
            using var file = File.OpenRead(path);
            var problems = Verify(file);
            if (problems.Count == 0)
            {
                output.WriteLine($"intact: {path}");
                return 0;
            }

            output.WriteLine($"NOT intact: {path}");
            foreach (var problem in problems)
            {
                output.WriteLine($"  {problem}");
            }

            return 1;
        }
        catch (IOException ex)
        {
            output.WriteLine($"cannot read {path}: {ex.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException ex)
        {
            output.WriteLine($"cannot read {path}: {ex.Message}");
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
