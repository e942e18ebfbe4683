using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
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
    private KeptCases _world = null!;

    public async Task InitializeAsync() => _world = await KeptCases.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task KeptClip_ReplacedOnDisk_PackageIsRefusedWithAnAlert_WhileAnUntouchedCaseStillPackages()
    {
        var (tamperedClip, tamperedCase, bytes) = await _world.KeepCaseAsync();
        var (_, untouchedCase, _) = await _world.KeepCaseAsync();
        var path = _world.ClipPath(tamperedClip);
        var forged = (byte[])bytes.Clone();
        forged[^1] ^= 0xff;

        // Someone with the Console's disk (or a bug) rewrites the kept file: same size, one byte changed.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(path, forged);
        var refused = await _world.Admin.Http.GetAsync($"/api/cases/{tamperedCase}/package.zip");
        var untouched = await _world.PackageAsync(untouchedCase);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("no longer matches the SHA-256 recorded when the case was kept", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var alerts = await _world.Admin.Http.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alert = Assert.Single(alerts.EnumerateArray(), a => a.GetProperty("type").GetString() == AlertTypes.EvidenceTampered);
        Assert.Equal((KeptCases.SiteId, tamperedClip), (alert.GetProperty("siteId").GetString(), alert.GetProperty("subject").GetString()));
        Assert.True((await _world.VerifyAsync(untouched)).GetProperty("intact").GetBoolean());
        // Only the package that went out is logged as exported.
        var exported = _world.Console.App.Services.GetRequiredService<AuditLog>().Recent(50).Where(e => e.Action == AuditActions.RecordingExported).ToList();
        Assert.Equal([$"case:{untouchedCase}"], exported.Select(e => e.Target));
    }

    [Fact]
    public async Task KeptClip_IsWriteOnce_NoChunkNoSecondCompleteNoFailed_AndItsFileIsReadOnly()
    {
        var (clipId, _, bytes) = await _world.KeepCaseAsync();
        var other = RandomNumberGenerator.GetBytes(bytes.Length);

        var chunk = await _world.Recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total={other.Length}", new ByteArrayContent(other));
        var complete = await _world.Recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), KeptCases.Manifest(clipId, other), WireJson.Options);
        var failed = await _world.Recorder.PostAsJsonAsync($"/api/recorder/clips/{clipId}/failed", new { reason = "replace it" });

        Assert.Equal(HttpStatusCode.Conflict, chunk.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(_world.ClipPath(clipId)));
        Assert.Equal(bytes, await _world.Admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
    }

    [Fact]
    public async Task CompleteClip_ChangedBeforeItIsKept_IsNotKept_AndRaisesTheAlert()
    {
        var (clipId, bytes) = await _world.UploadClipAsync();
        var path = _world.ClipPath(clipId);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(path, bytes[..^1]);

        var keep = await _world.Admin.Http.PostAsJsonAsync($"/api/clips/{clipId}/case", new { reason = "投诉" });

        Assert.Equal(HttpStatusCode.Conflict, keep.StatusCode);
        Assert.Empty(await _world.Admin.Http.GetFromJsonAsync<JsonElement[]>("/api/cases") ?? []);
        var alerts = await _world.Admin.Http.GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.Contains(alerts.EnumerateArray(), a => a.GetProperty("type").GetString() == AlertTypes.EvidenceTampered && a.GetProperty("subject").GetString() == clipId);
    }
}
