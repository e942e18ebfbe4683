using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ServiceHall.Shared.Secrets;

namespace ServiceHall.Console.Storage;

/// <summary>
/// A backup of the Console's data folder as one zip: <c>data/...</c> (the stores' consistent copies and the folder's
/// other files: signing keys, the encrypted key ring, kept clips) and <c>manifest.json</c> with each file's size,
/// SHA-256 and mode. Left out: the key ring's protector and the initial admin password, which must not travel with a
/// backup (docs/security.md), and symbolic links. The archive is created mode 0600: it holds the signing key.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // File modes are part of what a backup keeps.
public sealed class BackupArchive : IDisposable
{
    public const string Format = "servicehall-console-backup";
    public const int Version = 1;
    public const string ManifestName = "manifest.json";
    public const string DataPrefix = "data/";

    /// <summary>Never in a backup: the key ring's protector and the initial admin password (docs/security.md).</summary>
    public static readonly IReadOnlyList<string> LeftOut = ["keys-protector", "initial-admin-password.txt"];

    private readonly ZipArchive _zip;
    private readonly List<BackupFile> _files = [];

    private BackupArchive(Stream output) => _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: false);

    /// <summary>Backs up <paramref name="dataDirectory"/> into <paramref name="outFile"/>; returns the manifest.</summary>
    public static BackupManifest Create(string dataDirectory, string outFile, IReadOnlyList<IStoreBackup> stores, TimeProvider time)
    {
        var root = Path.GetFullPath(dataDirectory);
        var target = Path.GetFullPath(outFile);
        if (target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BackupException($"the archive {target} must not be inside the data folder {root}");
        }

        var partial = target + ".partial";
        BackupManifest manifest;
        try
        {
            using (var archive = new BackupArchive(PrivateFile.Create(partial)))
            {
                foreach (var store in stores)
                {
                    store.WriteTo(archive);
                }

                var skipped = stores.SelectMany(s => s.OwnFiles).Concat(LeftOut).ToHashSet(StringComparer.Ordinal);
                archive.AddFolder(root, root, skipped);
                manifest = new BackupManifest(Format, Version, time.GetUtcNow(), [.. stores.Select(s => s.Name)], archive._files);
                using var entry = archive._zip.CreateEntry(ManifestName).Open();
                JsonSerializer.Serialize(entry, manifest, BackupManifest.Json);
            }

            // Renamed only when complete, so a crash never leaves a half archive under the name asked for.
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return manifest;
    }

    /// <summary>Adds one file under <c>data/</c>, hashing it as it is written.</summary>
    public void Add(string relativePath, Stream content, UnixFileMode mode)
    {
        var name = DataPrefix + relativePath.Replace(Path.DirectorySeparatorChar, '/');
        // Clips are already compressed video: storing them costs nothing and saves the CPU.
        var level = name.EndsWith(".mp4", StringComparison.OrdinalIgnoreCase) ? CompressionLevel.NoCompression : CompressionLevel.Fastest;
        using var entry = _zip.CreateEntry(name, level).Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long bytes = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            entry.Write(buffer, 0, read);
            bytes += read;
        }

        _files.Add(new BackupFile(name, bytes, Convert.ToHexStringLower(hash.GetHashAndReset()), Convert.ToString((int)mode, 8)));
    }

    private void AddFolder(string root, string folder, IReadOnlySet<string> skipped)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            if (skipped.Contains(relative.Replace(Path.DirectorySeparatorChar, '/')) || entry.LinkTarget is not null)
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                AddFolder(root, directory.FullName, skipped);
                continue;
            }

            using var file = new FileStream(entry.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
            Add(relative, file, File.GetUnixFileMode(entry.FullName));
        }
    }

    public void Dispose() => _zip.Dispose();
}

/// <summary>What a backup holds; restore trusts nothing in the archive that is not listed here with its hash.</summary>
public sealed record BackupManifest(string Format, int Version, DateTimeOffset CreatedAt, IReadOnlyList<string> Stores, IReadOnlyList<BackupFile> Files)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>One file of a backup: its path in the archive, size, SHA-256 (hex) and Unix mode (octal).</summary>
public sealed record BackupFile(string Path, long Bytes, string Sha256, string Mode);
