using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace ServiceHall.Console.Storage;

/// <summary>
/// Restores a <see cref="BackupArchive"/> into a data folder. Everything is checked before the folder is touched: the
/// manifest's format, every entry listed once with a path that stays inside the folder (no <c>..</c>, no rooted or
/// backslashed name), every file's size and SHA-256. The files go to a staging folder beside the target, which then
/// takes its place in one rename; a non-empty target is refused unless forced, and then kept aside, never deleted.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class BackupRestore
{
    private const long MaxManifestBytes = 16L << 20;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Restores <paramref name="archivePath"/> into <paramref name="dataDirectory"/>; returns where a forced restore put the old folder, if any.</summary>
    public static (BackupManifest Manifest, string? SetAside) Restore(string archivePath, string dataDirectory, bool force, TimeProvider time)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var occupied = Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any();
        if (occupied && !force)
        {
            throw new BackupException($"{target} is not empty: restore into an empty folder, or add --force to move the current one aside first");
        }

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.restoring-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        try
        {
            BackupManifest manifest;
            using (var zip = Open(archivePath))
            {
                manifest = ReadManifest(zip);
                Directory.CreateDirectory(staging, OwnerOnlyFolder);
                Extract(zip, manifest, staging);
            }

            string? aside = null;
            if (occupied)
            {
                aside = $"{target}.before-restore-{time.GetUtcNow():yyyyMMddTHHmmssZ}";
                Directory.Move(target, aside);
            }
            else if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(staging, target);
            return (manifest, aside);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static ZipArchive Open(string archivePath)
    {
        try
        {
            return ZipFile.OpenRead(archivePath);
        }
        catch (InvalidDataException ex)
        {
            throw new BackupException($"{archivePath} is not a readable backup archive: {ex.Message}");
        }
    }

    private static BackupManifest ReadManifest(ZipArchive zip)
    {
        var entry = zip.GetEntry(BackupArchive.ManifestName) ?? throw new BackupException($"the archive has no {BackupArchive.ManifestName}");
        using var limited = new MemoryStream();
        CopyCapped(entry, limited, MaxManifestBytes, BackupArchive.ManifestName);
        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(limited.ToArray(), BackupManifest.Json);
        }
        catch (JsonException ex)
        {
            throw new BackupException($"{BackupArchive.ManifestName} is not valid: {ex.Message}");
        }

        if (manifest is not { Format: BackupArchive.Format, Version: BackupArchive.Version, Files: not null })
        {
            throw new BackupException($"{BackupArchive.ManifestName} is not a {BackupArchive.Format} version {BackupArchive.Version} manifest");
        }

        if (manifest.Files.FirstOrDefault(f => f.Path is null || f.Bytes < 0 || f.Sha256 is not { Length: 64 } || f.Mode is not { Length: > 0 and <= 4 } || !f.Mode.All(c => c is >= '0' and <= '7')) is { } bad)
        {
            throw new BackupException($"{BackupArchive.ManifestName} has a malformed entry ({bad.Path})");
        }

        var listed = manifest.Files.Select(f => f.Path).ToList();
        var inZip = zip.Entries.Select(e => e.FullName).Where(n => n != BackupArchive.ManifestName).ToList();
        if (listed.Distinct(StringComparer.Ordinal).Count() != listed.Count || inZip.Distinct(StringComparer.Ordinal).Count() != inZip.Count)
        {
            throw new BackupException("the archive or its manifest names a file twice");
        }

        if (inZip.Except(listed, StringComparer.Ordinal).FirstOrDefault() is { } extra)
        {
            throw new BackupException($"the archive holds {extra}, which its manifest does not list");
        }

        if (listed.Except(inZip, StringComparer.Ordinal).FirstOrDefault() is { } missing)
        {
            throw new BackupException($"the manifest lists {missing}, which the archive does not hold");
        }

        return manifest;
    }

    /// <summary>The path a manifest entry restores to, or a refusal when it would leave <paramref name="root"/>.</summary>
    public static string Destination(string root, string entryPath)
    {
        var relative = entryPath.StartsWith(BackupArchive.DataPrefix, StringComparison.Ordinal) ? entryPath[BackupArchive.DataPrefix.Length..] : null;
        var segments = relative?.Split('/') ?? [];
        if (relative is null || relative.Contains('\\', StringComparison.Ordinal) || relative.Contains('\0', StringComparison.Ordinal)
            || segments.Any(s => s is "" or "." or ".."))
        {
            throw new BackupException($"refused: the archive entry '{entryPath}' would be written outside the data folder");
        }

        var destination = Path.GetFullPath(Path.Combine(root, Path.Combine(segments)));
        if (!destination.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new BackupException($"refused: the archive entry '{entryPath}' would be written outside the data folder");
        }

        return destination;
    }

    private static void Extract(ZipArchive zip, BackupManifest manifest, string staging)
    {
        // Every path is checked before the first byte is written.
        var destinations = manifest.Files.ToDictionary(f => f, f => Destination(staging, f.Path));
        foreach (var (file, destination) in destinations)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!, OwnerOnlyFolder);
            using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write))
            {
                var sha = CopyCapped(zip.GetEntry(file.Path)!, output, file.Bytes, file.Path);
                if (output.Length != file.Bytes || sha != file.Sha256)
                {
                    throw new BackupException($"refused: {file.Path} does not match the manifest (damaged or changed): {output.Length} bytes, SHA-256 {sha}; expected {file.Bytes} bytes, {file.Sha256}");
                }
            }

            // The owner's bits as backed up (kept clips stay read-only, keys 0600); never wider than the owner.
            var mode = (UnixFileMode)(Convert.ToInt32(file.Mode, 8) & (int)OwnerOnlyFolder);
            File.SetUnixFileMode(destination, mode | UnixFileMode.UserRead);
        }
    }

    /// <summary>Copies an entry, whatever its header claims, stopping one byte past <paramref name="cap"/>; returns its SHA-256.</summary>
    private static string CopyCapped(ZipArchiveEntry entry, Stream output, long cap, string name)
    {
        using var input = entry.Open();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        try
        {
            while ((read = input.Read(buffer)) > 0)
            {
                total += read;
                if (total > cap)
                {
                    throw new BackupException($"refused: {name} is larger than the manifest says ({cap} bytes)");
                }

                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new BackupException($"refused: {name} cannot be read from the archive (damaged): {ex.Message}");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
