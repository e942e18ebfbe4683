using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Review;
using ServiceHall.Console.Signing;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Review;

/// <summary>Case packages written to a real temp file and checked the way <c>./hall.sh verify</c> checks them.</summary>
public sealed class CasePackageTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ClipRecord _clip = new() { Id = new string('a', 32), SiteId = "hall-1", CameraId = "cam-1", FromTicks = At.UtcTicks, ToTicks = At.AddMinutes(1).UtcTicks, Status = ClipStatus.Complete };

    public void Dispose() => _dir.Dispose();

    private SigningKeys Keys => new(Options.Create(new StorageOptions { DataDirectory = _dir.Path }), TimeProvider.System);

    [Fact]
    public async Task WrittenPackage_IsIntact_AndTheCommandSaysSo()
    {
        var package = await WritePackageAsync();

        using (var file = File.OpenRead(package))
        {
            var verdict = CasePackage.Verify(file, Keys.Published(), long.MaxValue);
            Assert.Empty(verdict.Problems);
            Assert.Equal("ServiceHall Console", verdict.SignedBy?.Signer);
        }

        using var output = new StringWriter();
        Assert.Equal(0, CasePackage.VerifyCommand(package, [$"--Storage:DataDirectory={_dir.Path}"], output));
        Assert.StartsWith("intact", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("signed by ServiceHall Console at ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Package_HoldsClipManifestCaseAndSums_WithCaseJsonPinned()
    {
        var package = await WritePackageAsync();

        using var zip = ZipFile.OpenRead(package);
        Assert.Equal(
            [CasePackage.ClipEntry(_clip), CasePackage.ManifestEntry, CasePackage.CaseEntry, CasePackage.SumsEntry, CasePackage.SignatureEntry, CasePackage.SignatureBlobEntry],
            zip.Entries.Select(e => e.FullName));
        using var reader = new StreamReader(zip.GetEntry(CasePackage.CaseEntry)!.Open());
        Assert.Equal(
            """{"caseId":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","clipId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","siteId":"hall-1","cameraId":"cam-1","from":"2026-11-26T01:00:00+00:00","to":"2026-11-26T01:01:00+00:00","reason":"投诉","keptBy":"admin","keptAt":"2026-11-26T01:00:00+00:00","sha256":"SHA"}""",
            System.Text.RegularExpressions.Regex.Replace(reader.ReadToEnd(), "\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\"SHA\""));
    }

    [Fact]
    public async Task Package_WithAnExtraFile_OrAListedFileMissing_IsNotIntact()
    {
        var package = await WritePackageAsync();
        using (var zip = ZipFile.Open(package, ZipArchiveMode.Update))
        {
            zip.GetEntry(CasePackage.CaseEntry)!.Delete();
            using var extra = new StreamWriter(zip.CreateEntry("note.txt").Open());
            extra.Write("slipped in");
        }

        using var output = new StringWriter();
        Assert.Equal(1, CasePackage.VerifyCommand(package, [$"--Storage:DataDirectory={_dir.Path}"], output));
        Assert.Contains("note.txt: not listed in SHA256SUMS", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("case.json: listed in SHA256SUMS but missing", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Package_WhoseSumsWereRewrittenForAnotherClip_StillFailsAgainstTheManifest()
    {
        var package = await WritePackageAsync();
        var other = "a different clip"u8.ToArray();
        using (var zip = ZipFile.Open(package, ZipArchiveMode.Update))
        {
            var name = CasePackage.ClipEntry(_clip);
            zip.GetEntry(name)!.Delete();
            using (var entry = zip.CreateEntry(name).Open())
            {
                entry.Write(other);
            }

            var sumsEntry = zip.GetEntry(CasePackage.SumsEntry)!;
            string sums;
            using (var reader = new StreamReader(sumsEntry.Open()))
            {
                sums = reader.ReadToEnd();
            }

            sumsEntry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(CasePackage.SumsEntry).Open());
            writer.Write(string.Join('\n', sums.Split('\n').Select(l => l.EndsWith(name, StringComparison.Ordinal) ? $"{Hash(other)}  {name}" : l)));
        }

        using var file = File.OpenRead(package);
        var problems = CasePackage.Verify(file, Keys.Published(), long.MaxValue).Problems;

        // The rewritten SHA256SUMS is no longer the one the Console signed, either.
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("SHA256SUMS: SHA-256 ", StringComparison.Ordinal) && p.EndsWith("that was signed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("bytes, manifest.json says", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("does not match manifest.json", StringComparison.Ordinal));
    }

    [Fact]
    public void NotAZip_OrNoFile_IsReportedNotThrown()
    {
        var junk = Path.Combine(_dir.Path, "junk.zip");
        File.WriteAllText(junk, "not a zip");

        using var output = new StringWriter();
        Keys.EnsureCurrent();
        string[] options = [$"--Storage:DataDirectory={_dir.Path}"];
        Assert.Equal(1, CasePackage.VerifyCommand(junk, options, output));
        Assert.Contains("not a zip file", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, CasePackage.VerifyCommand(Path.Combine(_dir.Path, "missing.zip"), options, output));
    }

    private async Task<string> WritePackageAsync()
    {
        var clipBytes = RandomNumberGenerator.GetBytes(50_000);
        var clipPath = Path.Combine(_dir.Path, "clip.mp4");
        await File.WriteAllBytesAsync(clipPath, clipBytes);
        var manifest = new ClipExported(_clip.Id, "hall-1", "cam-1", At, At.AddMinutes(1), At, At.AddMinutes(1), clipBytes.Length, Hash(clipBytes), "test", At, []);
        var manifestPath = Path.Combine(_dir.Path, "clip.json");
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, WireJson.Options));
        var kept = new CaseRecord { Id = new string('b', 32), ClipId = _clip.Id, SiteId = "hall-1", CameraId = "cam-1", FromTicks = _clip.FromTicks, ToTicks = _clip.ToTicks, Reason = "投诉", KeptBy = "admin", KeptAtTicks = At.UtcTicks, Sha256 = Hash(clipBytes) };
        var package = Path.Combine(_dir.Path, "case.zip");
        await using (var output = File.Create(package))
        {
            var signer = new StatementSigner(Keys, Options.Create(new SigningOptions()), TimeProvider.System);
            await CasePackage.WriteAsync(output, kept, _clip, clipPath, manifestPath, signer, CancellationToken.None);
        }

        return package;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
