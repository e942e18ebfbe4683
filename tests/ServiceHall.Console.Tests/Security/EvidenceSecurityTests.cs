using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Review;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 4 of the security review: a Recorder, or anyone with the Console's disk, could replace kept evidence and the
/// case package still "verified". A kept clip is now write-once and every package is checked against the hash
/// recorded when the case was kept.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EvidenceSecurityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);
    private ConsoleServer _console = null!;
    private SignedInClient _admin = null!;
    private HttpClient _recorder = null!;

    public async Task InitializeAsync()
    {
        _console = await ConsoleServer.StartAsync();
        var key = _console.AddSite("hall-1");
        _admin = await _console.SignedInClientAsync();
        _recorder = _console.AnonymousClient();
        _recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, "hall-1");
        _recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);
    }

    public async Task DisposeAsync()
    {
        _recorder.Dispose();
        _admin.Dispose();
        await _console.DisposeAsync();
    }

    [Fact]
    public async Task KeptClip_ReplacedOnDisk_PackageIsRefusedWithAnAlert_WhileAnUntouchedCaseStillPackages()
    {
        var (tamperedClip, tamperedCase, bytes) = await KeepCaseAsync();
        var (_, untouchedCase, _) = await KeepCaseAsync();
        var path = ClipPath(tamperedClip);
        var forged = (byte[])bytes.Clone();
        forged[^1] ^= 0xff;

        // Someone with the Console's disk (or a bug) rewrites the kept file: same size, one byte changed.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(path, forged);
        var refused = await _admin.Http.GetAsync($"/api/cases/{tamperedCase}/package.zip");
        var untouched = await _admin.Http.GetAsync($"/api/cases/{untouchedCase}/package.zip");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("no longer matches the SHA-256 recorded when the case was kept", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var alerts = await _admin.Http.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alert = Assert.Single(alerts.EnumerateArray(), a => a.GetProperty("type").GetString() == AlertTypes.EvidenceTampered);
        Assert.Equal(("hall-1", tamperedClip), (alert.GetProperty("siteId").GetString(), alert.GetProperty("subject").GetString()));
        Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        await using (var package = await untouched.Content.ReadAsStreamAsync())
        {
            using var zip = new ZipArchive(package);
            Assert.NotNull(zip.GetEntry(CasePackage.SumsEntry));
        }

        // Only the package that went out is logged as exported.
        var exported = _console.App.Services.GetRequiredService<AuditLog>().Recent(50).Where(e => e.Action == AuditActions.RecordingExported).ToList();
        Assert.Equal([$"case:{untouchedCase}"], exported.Select(e => e.Target));
    }

    [Fact]
    public async Task KeptClip_IsWriteOnce_NoChunkNoSecondCompleteNoFailed_AndItsFileIsReadOnly()
    {
        var (clipId, _, bytes) = await KeepCaseAsync();
        var other = RandomNumberGenerator.GetBytes(bytes.Length);

        var chunk = await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total={other.Length}", new ByteArrayContent(other));
        var complete = await _recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), Manifest(clipId, other), WireJson.Options);
        var failed = await _recorder.PostAsJsonAsync($"/api/recorder/clips/{clipId}/failed", new { reason = "replace it" });

        Assert.Equal(HttpStatusCode.Conflict, chunk.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(ClipPath(clipId)));
        Assert.Equal(bytes, await _admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
    }

    [Fact]
    public async Task CompleteClip_ChangedBeforeItIsKept_IsNotKept_AndRaisesTheAlert()
    {
        var (clipId, bytes) = await UploadClipAsync();
        var path = ClipPath(clipId);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(path, bytes[..^1]);

        var keep = await _admin.Http.PostAsJsonAsync($"/api/clips/{clipId}/case", new { reason = "投诉" });

        Assert.Equal(HttpStatusCode.Conflict, keep.StatusCode);
        Assert.Empty(await _admin.Http.GetFromJsonAsync<JsonElement[]>("/api/cases") ?? []);
        var alerts = await _admin.Http.GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.Contains(alerts.EnumerateArray(), a => a.GetProperty("type").GetString() == AlertTypes.EvidenceTampered && a.GetProperty("subject").GetString() == clipId);
    }

    private string ClipPath(string clipId) => Path.Combine(_console.DataDirectory, "clips", "hall-1", clipId + ".mp4");

    /// <summary>A clip requested, uploaded by the hall's Recorder and kept as a case, the way a supervisor does it.</summary>
    private async Task<(string ClipId, string CaseId, byte[] Bytes)> KeepCaseAsync()
    {
        var (clipId, bytes) = await UploadClipAsync();
        var keep = await _admin.Http.PostAsJsonAsync($"/api/clips/{clipId}/case", new { reason = "群众投诉窗口无人" });
        Assert.Equal(HttpStatusCode.Created, keep.StatusCode);
        var kept = await keep.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), kept.GetProperty("sha256").GetString());
        return (clipId, kept.GetProperty("caseId").GetString()!, bytes);
    }

    private async Task<(string ClipId, byte[] Bytes)> UploadClipAsync()
    {
        var response = await _admin.Http.PostAsJsonAsync("/api/sites/hall-1/clips", new { cameraId = "cam-1", from = At, to = At.AddMinutes(1), reason = "投诉" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var clipId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;
        var bytes = RandomNumberGenerator.GetBytes(120_000);
        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total={bytes.Length}", new ByteArrayContent(bytes))).EnsureSuccessStatusCode();
        (await _recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), Manifest(clipId, bytes), WireJson.Options)).EnsureSuccessStatusCode();
        return (clipId, bytes);
    }

    private static ClipExported Manifest(string clipId, byte[] bytes) =>
        new(clipId, "hall-1", "cam-1", At, At.AddMinutes(1), At, At.AddMinutes(1), bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), "0.1.0", At, []);
}
