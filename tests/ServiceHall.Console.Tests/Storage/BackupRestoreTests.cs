using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Security;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Storage;

/// <summary>
/// <c>backup</c> and <c>restore</c> through the Console's own command dispatch: a store filled through a real Console
/// comes back whole in a new folder, and a damaged, altered or escaping archive is refused before anything is written.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupRestoreTests
{
    private const string ChangedPassword = ConsoleServer.AdminPassword + "-changed";

    [Fact]
    public async Task Backup_OfAFilledConsole_RestoredIntoAnEmptyFolder_ServesTheSameData()
    {
        using var work = new TempDirectory();
        var archive = work.Combine("console-backup.zip");
        var restored = work.Combine("restored");
        await using var kept = await KeptCases.StartAsync();
        var (clipId, caseId, clipBytes) = await kept.KeepCaseAsync();
        kept.Console.AddSite("hall-2", "第二大厅", "西区");
        await using (var recorder = kept.Console.RecorderConnection(KeptCases.SiteId, kept.Console.AddSite(KeptCases.SiteId)))
        {
            await recorder.StartAsync();
            var now = DateTimeOffset.UtcNow;
            EventRecorded Entry(long sequence, string camera) => new(Guid.NewGuid(), sequence, now, new WindowVacated { CameraId = camera, WindowId = "w01", OccurredAt = now }, null);
            await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Entry(1, "cam-1"), Entry(2, "../x"), Entry(3, "cam-1")]));
        }

        var before = await ReadAllAsync(kept.Admin.Http, clipId);
        Assert.Contains(AlertTypes.EventsParked, before["alerts"], StringComparison.Ordinal);
        Assert.Contains(caseId, before["cases"], StringComparison.Ordinal);

        var whileRunning = await ConsoleApp.RunAsync(["backup", "--out", archive, $"--Storage:DataDirectory={kept.Console.DataDirectory}"]);
        var leftAnArchive = File.Exists(archive) || File.Exists(archive + ".partial");
        await kept.Console.StopAsync();
        var backedUp = await ConsoleApp.RunAsync(["backup", "--out", archive, $"--Storage:DataDirectory={kept.Console.DataDirectory}"]);
        var restoredExit = await ConsoleApp.RunAsync(["restore", "--from", archive, $"--Storage:DataDirectory={restored}"]);

        Assert.Equal(1, whileRunning);
        Assert.False(leftAnArchive, "a refused backup leaves no archive");
        Assert.Equal(0, backedUp);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
        Assert.Equal(0, restoredExit);
        Assert.False(Directory.Exists(Path.Combine(restored, "keys-protector")), "the key ring's protector never travels with a backup");
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(restored, "clips", KeptCases.SiteId, clipId + ".mp4")) & ~UnixFileMode.UserExecute);
        await using var again = await ConsoleServer.StartAsync($"--Storage:DataDirectory={restored}");
        using var admin = await again.SignedInClientAsync("admin", ChangedPassword);
        var after = await ReadAllAsync(admin.Http, clipId);
        Assert.Equal(before, after);
        Assert.Equal(clipBytes, await admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
        var package = await admin.Http.GetAsync($"/api/cases/{caseId}/package.zip");
        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
    }

    [Fact]
    public async Task Restore_RefusesATamperedArchive_AndANonEmptyFolderUnlessForced()
    {
        using var work = new TempDirectory();
        var archive = await BackupOfFreshConsoleAsync(work);
        var tampered = work.Combine("tampered.zip");
        Rewrite(archive, tampered, "data/signing/keys.json", bytes => [.. bytes, (byte)' ']);
        var occupied = work.Combine("occupied");
        Directory.CreateDirectory(occupied);
        await File.WriteAllTextAsync(Path.Combine(occupied, "keep.txt"), "mine");

        var tamperedExit = await ConsoleApp.RunAsync(["restore", "--from", tampered, $"--Storage:DataDirectory={work.Combine("t")}"]);
        var notForced = await ConsoleApp.RunAsync(["restore", "--from", archive, $"--Storage:DataDirectory={occupied}"]);
        var forced = await ConsoleApp.RunAsync(["restore", "--from", archive, "--force", $"--Storage:DataDirectory={occupied}"]);

        Assert.Equal(1, tamperedExit);
        Assert.False(Directory.Exists(work.Combine("t")) && Directory.EnumerateFileSystemEntries(work.Combine("t")).Any());
        Assert.Equal(1, notForced);
        Assert.Equal(0, forced);
        Assert.True(File.Exists(Path.Combine(occupied, "console.db")));
        var aside = Assert.Single(Directory.GetDirectories(work.Path, "occupied.before-restore-*"));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(aside, "keep.txt")));
        Assert.Empty(Directory.GetDirectories(work.Path, ".occupied.restoring-*"));
    }

    [Theory]
    [InlineData("data/../../escaped.txt")]
    [InlineData("data/clips/../../../escaped.txt")]
    [InlineData("/tmp/escaped.txt")]
    [InlineData("data/..\\..\\escaped.txt")]
    [InlineData("escaped.txt")]
    public async Task Restore_RefusesAnEntryThatClimbsOutOfTheDataFolder(string entryName)
    {
        using var work = new TempDirectory();
        var target = work.Combine("inner", "data");
        var evil = work.Combine("evil.zip");
        var content = Encoding.UTF8.GetBytes("pwned");
        using (var zip = ZipFile.Open(evil, ZipArchiveMode.Create))
        {
            using (var entry = zip.CreateEntry(entryName).Open())
            {
                entry.Write(content);
            }

            var manifest = new BackupManifest(BackupArchive.Format, BackupArchive.Version, DateTimeOffset.UtcNow, ["litedb"],
                [new BackupFile(entryName, content.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), "600")]);
            using var manifestEntry = zip.CreateEntry(BackupArchive.ManifestName).Open();
            JsonSerializer.Serialize(manifestEntry, manifest, BackupManifest.Json);
        }

        var exit = await ConsoleApp.RunAsync(["restore", "--from", evil, $"--Storage:DataDirectory={target}"]);

        Assert.Equal(1, exit);
        Assert.Empty(Directory.EnumerateFiles(work.Path, "escaped.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists("/tmp/escaped.txt"));
        Assert.Throws<BackupException>(() => BackupRestore.Destination(target, entryName));
    }

    [Fact]
    public async Task Restore_RefusesAFileTheManifestDoesNotList_AndATruncatedArchive()
    {
        using var work = new TempDirectory();
        var archive = await BackupOfFreshConsoleAsync(work);
        var smuggled = work.Combine("smuggled.zip");
        File.Copy(archive, smuggled);
        using (var zip = ZipFile.Open(smuggled, ZipArchiveMode.Update))
        {
            using var extra = zip.CreateEntry("data/signing/extra.key").Open();
            extra.Write("x"u8);
        }

        var truncated = work.Combine("truncated.zip");
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        Assert.Equal(1, await ConsoleApp.RunAsync(["restore", "--from", smuggled, $"--Storage:DataDirectory={work.Combine("a")}"]));
        Assert.Equal(1, await ConsoleApp.RunAsync(["restore", "--from", truncated, $"--Storage:DataDirectory={work.Combine("b")}"]));
        Assert.False(Directory.Exists(work.Combine("a", "signing")));
        Assert.False(Directory.Exists(work.Combine("b", "signing")));
    }

    private static async Task<string> BackupOfFreshConsoleAsync(TempDirectory work)
    {
        var archive = work.Combine("backup.zip");
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-b");
        await server.StopAsync();
        Assert.Equal(0, await ConsoleApp.RunAsync(["backup", "--out", archive, $"--Storage:DataDirectory={server.DataDirectory}"]));
        return archive;
    }

    /// <summary>Copies a zip, changing one entry's bytes and nothing else (its manifest hash then no longer matches).</summary>
    private static void Rewrite(string from, string to, string entryName, Func<byte[], byte[]> change)
    {
        using var source = ZipFile.OpenRead(from);
        using var target = ZipFile.Open(to, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            using var input = entry.Open();
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            using var output = target.CreateEntry(entry.FullName).Open();
            output.Write(entry.FullName == entryName ? change(buffer.ToArray()) : buffer.ToArray());
        }
    }

    /// <summary>What the API shows of the data a backup must keep; live state (who is connected now) is left out.</summary>
    private static async Task<Dictionary<string, string>> ReadAllAsync(HttpClient client, string clipId)
    {
        var sites = await client.GetFromJsonAsync<JsonElement>("/api/sites/");
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        return new Dictionary<string, string>
        {
            ["sites"] = string.Join(";", sites.EnumerateArray().Select(s => $"{s.GetProperty("siteId")}|{s.GetProperty("name")}|{s.GetProperty("district")}")),
            ["events"] = await client.GetStringAsync($"/api/events?from={from}&to={to}"),
            ["alerts"] = await client.GetStringAsync("/api/alerts?all=true"),
            ["cases"] = await client.GetStringAsync("/api/cases"),
            ["clip"] = await client.GetStringAsync($"/api/clips/{clipId}"),
            ["signingKeys"] = await client.GetStringAsync("/api/signing-keys"),
            ["auditIntact"] = (await client.GetFromJsonAsync<JsonElement>("/api/admin/audit/verify")).GetProperty("intact").ToString(),
        };
    }
}
