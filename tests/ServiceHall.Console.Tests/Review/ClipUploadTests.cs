using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Review;

/// <summary>The Console's clip upload endpoints on real Kestrel with a real LiteDB file.</summary>
public sealed class ClipUploadTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);
    private ConsoleServer _console = null!;
    private SignedInClient _admin = null!;
    private HttpClient _recorder = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        _console = await ConsoleServer.StartAsync();
        _key = _console.AddSite("hall-1");
        _admin = await _console.SignedInClientAsync();
        _recorder = RecorderClient("hall-1", _key);
    }

    public async Task DisposeAsync()
    {
        _recorder.Dispose();
        _admin.Dispose();
        await _console.DisposeAsync();
    }

    [Fact]
    public async Task Upload_InterruptedAndResumed_KeepsTheClipWhenItsHashMatches()
    {
        var clipId = await RequestClipAsync();
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total=300000", new ByteArrayContent(bytes[..100_000]))).EnsureSuccessStatusCode();
        var progress = await _admin.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}");
        Assert.Equal(("Uploading", 100_000, 300_000), (progress.GetProperty("status").GetString(), progress.GetProperty("receivedBytes").GetInt64(), progress.GetProperty("totalBytes").GetInt64()));
        // The Recorder lost the answer and sends the first chunk again: refused with the true length.
        var again = await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0", new ByteArrayContent(bytes[..100_000]));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var state = await _recorder.GetFromJsonAsync<JsonElement>(ClipUploads.Data(clipId));
        Assert.Equal(100_000, state.GetProperty("received").GetInt64());
        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=100000", new ByteArrayContent(bytes[100_000..]))).EnsureSuccessStatusCode();

        var complete = await _recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), Manifest(clipId, bytes), WireJson.Options);

        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        var view = await _admin.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}");
        Assert.Equal("Complete", view.GetProperty("status").GetString());
        Assert.Equal(bytes, await _admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
    }

    [Fact]
    public async Task Upload_ProgressIsPushedToTheSitesWatchers_UntilComplete()
    {
        await using var monitor = _console.MonitorConnection(_admin);
        var pushed = System.Threading.Channels.Channel.CreateUnbounded<ClipProgressed>();
        monitor.On<ClipProgressed>(nameof(IMonitorClient.ClipProgressed), p => pushed.Writer.TryWrite(p));
        await monitor.StartAsync();
        await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchSite), "hall-1");
        var clipId = await RequestClipAsync();
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total=200000", new ByteArrayContent(bytes[..50_000]))).EnsureSuccessStatusCode();
        var uploading = await pushed.Reader.ReadAsync(timeout.Token);
        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=50000&total=200000", new ByteArrayContent(bytes[50_000..]))).EnsureSuccessStatusCode();
        var uploaded = await pushed.Reader.ReadAsync(timeout.Token);
        (await _recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), Manifest(clipId, bytes), WireJson.Options)).EnsureSuccessStatusCode();
        var complete = await pushed.Reader.ReadAsync(timeout.Token);

        Assert.Equal(new ClipProgressed(clipId, "hall-1", "cam-1", "Uploading", 50_000, 200_000, null), uploading);
        Assert.Equal(200_000, uploaded.ReceivedBytes);
        Assert.Equal(("Complete", 200_000L), (complete.Status, complete.ReceivedBytes));
    }

    [Fact]
    public async Task Upload_HashMismatch_IsRefusedWithReasonAndNothingIsKept()
    {
        var clipId = await RequestClipAsync();
        var bytes = RandomNumberGenerator.GetBytes(1000);
        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0", new ByteArrayContent(bytes))).EnsureSuccessStatusCode();
        var tampered = Manifest(clipId, bytes) with { Sha256 = new string('0', 64) };

        var complete = await _recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), tampered, WireJson.Options);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Contains("does not match", await complete.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var view = await _admin.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}");
        Assert.Equal("Failed", view.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.Http.GetAsync($"/api/clips/{clipId}/file")).StatusCode);
    }

    [Fact]
    public async Task Upload_ByAnotherSiteOrWithATraversingId_IsNotFoundAndWritesNothing()
    {
        var clipId = await RequestClipAsync();
        using var other = RecorderClient("hall-2", _console.AddSite("hall-2"));

        var foreign = await other.PutAsync($"{ClipUploads.Data(clipId)}?offset=0", new ByteArrayContent([1, 2, 3]));
        var traversal = await _recorder.PutAsync("/api/recorder/clips/..%2F..%2Fconsole.db/data?offset=0", new ByteArrayContent([1, 2, 3]));
        using var anonymous = _console.AnonymousClient();
        var unauthenticated = await anonymous.PutAsync($"{ClipUploads.Data(clipId)}?offset=0", new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_console.DataDirectory, "clips")));
    }

    [Fact]
    public async Task RecorderCannotExport_ClipShowsFailedWithTheRecordersReason()
    {
        var clipId = await RequestClipAsync();

        var failed = await _recorder.PostAsJsonAsync(ClipUploads.Failed(clipId), new { reason = "no recording of camera 'cam-1'" });

        Assert.Equal(HttpStatusCode.NoContent, failed.StatusCode);
        var view = await _admin.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}");
        Assert.Equal("Failed", view.GetProperty("status").GetString());
        Assert.Equal("recorder: no recording of camera 'cam-1'", view.GetProperty("error").GetString());
    }

    [Fact]
    public async Task RequestClip_BadRange_IsRefusedWithReasons()
    {
        var response = await _admin.Http.PostAsJsonAsync("/api/sites/hall-1/clips", new { cameraId = "cam-1", from = At, to = At.AddSeconds(-1), reason = "" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("to must be after from", text, StringComparison.Ordinal);
        Assert.Contains("reason is required", text, StringComparison.Ordinal);
    }

    /// <summary>Finding 4 of issue 15 (part): the hall's own key cannot reopen a complete clip to replace it.</summary>
    [Fact]
    public async Task Failed_ForACompleteClip_IsRefusedAndNewChunksAreNot_TheFileStaysAsKept()
    {
        var clipId = await RequestClipAsync();
        var bytes = RandomNumberGenerator.GetBytes(50_000);
        (await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total=50000", new ByteArrayContent(bytes))).EnsureSuccessStatusCode();
        (await _recorder.PostAsJsonAsync(ClipUploads.Complete(clipId), Manifest(clipId, bytes), WireJson.Options)).EnsureSuccessStatusCode();

        var failed = await _recorder.PostAsJsonAsync($"/api/recorder/clips/{clipId}/failed", new { reason = "again" });
        var chunk = await _recorder.PutAsync($"{ClipUploads.Data(clipId)}?offset=0&total=10", new ByteArrayContent(new byte[10]));

        Assert.Equal(HttpStatusCode.Conflict, failed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, chunk.StatusCode);
        Assert.Equal("Complete", (await _admin.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}")).GetProperty("status").GetString());
        Assert.Equal(bytes, await _admin.Http.GetByteArrayAsync($"/api/clips/{clipId}/file"));
    }

    private async Task<string> RequestClipAsync()
    {
        var response = await _admin.Http.PostAsJsonAsync("/api/sites/hall-1/clips", new { cameraId = "cam-1", from = At, to = At.AddMinutes(1), reason = "投诉 2026-118" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;
    }

    private HttpClient RecorderClient(string siteId, string key)
    {
        var client = _console.AnonymousClient();
        client.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, siteId);
        client.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, key);
        return client;
    }

    private static ClipExported Manifest(string clipId, byte[] bytes) =>
        new(clipId, "hall-1", "cam-1", At, At.AddMinutes(1), At, At.AddMinutes(1), bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), "0.1.0", At, []);
}
