using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>A real Console with one hall, its Recorder's upload client and a signed-in admin: clips go the way a hall sends them, cases are kept the way a supervisor keeps them.</summary>
public sealed class KeptCases : IAsyncDisposable
{
    public const string SiteId = "hall-1";
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private KeptCases(ConsoleServer console, SignedInClient admin, HttpClient recorder)
    {
        Console = console;
        Admin = admin;
        Recorder = recorder;
    }

    public ConsoleServer Console { get; }

    public SignedInClient Admin { get; }

    /// <summary>The hall's Recorder, with its site key.</summary>
    public HttpClient Recorder { get; }

    public static async Task<KeptCases> StartAsync(params string[] consoleArgs)
    {
        var console = await ConsoleServer.StartAsync(consoleArgs);
        var key = console.AddSite(SiteId);
        var admin = await console.SignedInClientAsync();
        var recorder = console.AnonymousClient();
        recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, SiteId);
        recorder.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);
        return new KeptCases(console, admin, recorder);
    }

    public static ClipExported Manifest(string clipId, byte[] bytes) =>
        new(clipId, SiteId, "cam-1", At, At.AddMinutes(1), At, At.AddMinutes(1), bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), "0.1.0", At, []);

    public string ClipPath(string clipId) => Path.Combine(Console.DataDirectory, "clips", SiteId, clipId + ".mp4");

    /// <summary>A clip requested by the admin and uploaded complete by the hall's Recorder.</summary>
    public async Task<(string ClipId, byte[] Bytes)> UploadClipAsync()
    {
        var response = await Admin.Http.PostAsJsonAsync($"/api/sites/{SiteId}/clips", new { cameraId = "cam-1", from = At, to = At.AddMinutes(1), reason = "投诉" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var clipId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;
        var bytes = RandomNumberGenerator.GetBytes(120_000);
        (await Recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total={bytes.Length}", new ByteArrayContent(bytes))).EnsureSuccessStatusCode();
        (await Recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), Manifest(clipId, bytes), WireJson.Options)).EnsureSuccessStatusCode();
        return (clipId, bytes);
    }

    /// <summary>An uploaded clip kept as a case; checks that the case recorded the clip's SHA-256.</summary>
    public async Task<(string ClipId, string CaseId, byte[] Bytes)> KeepCaseAsync()
    {
        var (clipId, bytes) = await UploadClipAsync();
        var keep = await Admin.Http.PostAsJsonAsync($"/api/clips/{clipId}/case", new { reason = "群众投诉窗口无人" });
        Assert.Equal(HttpStatusCode.Created, keep.StatusCode);
        var kept = await keep.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), kept.GetProperty("sha256").GetString());
        return (clipId, kept.GetProperty("caseId").GetString()!, bytes);
    }

    /// <summary>The case's package as downloaded.</summary>
    public async Task<byte[]> PackageAsync(string caseId)
    {
        var response = await Admin.Http.GetAsync($"/api/cases/{caseId}/package.zip");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>What <c>POST /api/cases/verify</c> answers for <paramref name="package"/>, checked by <paramref name="client"/> (the admin by default).</summary>
    public async Task<JsonElement> VerifyAsync(byte[] package, HttpClient? client = null)
    {
        var response = await (client ?? Admin.Http).PostAsync("/api/cases/verify", new ByteArrayContent(package));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        Recorder.Dispose();
        Admin.Dispose();
        await Console.DisposeAsync();
    }
}
