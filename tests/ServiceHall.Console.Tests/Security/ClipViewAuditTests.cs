using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Review;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>Issue 15, finding 6: every read of a clip's bytes is audited, whatever its Range header.</summary>
public sealed class ClipViewAuditTests
{
    [Fact]
    public async Task ReadFromByteOne_IsAudited()
    {
        await using var server = await ConsoleServer.StartAsync();
        var (clipId, reader) = await CompleteClipAsync(server);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clipId}/file") { Headers = { Range = new RangeHeaderValue(1, null) } };
        using var response = await reader.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(1023, (await response.Content.ReadAsByteArrayAsync()).Length);
        Assert.Single(Views(server, clipId));
    }

    [Fact]
    public async Task MultiRangeRead_IsAudited()
    {
        await using var server = await ConsoleServer.StartAsync();
        var (clipId, reader) = await CompleteClipAsync(server);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clipId}/file");
        request.Headers.TryAddWithoutValidation("Range", "bytes=5-9,100-199");
        using var response = await reader.Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        Assert.Single(Views(server, clipId));
    }

    [Fact]
    public async Task PlayersManyReads_AreAuditedOncePerHour()
    {
        await using var server = await ConsoleServer.StartAsync();
        var (clipId, reader) = await CompleteClipAsync(server);

        var whole = await reader.Http.GetByteArrayAsync($"/api/clips/{clipId}/file");
        using var tail = new HttpRequestMessage(HttpMethod.Get, $"/api/clips/{clipId}/file") { Headers = { Range = new RangeHeaderValue(512, null) } };
        using var tailResponse = await reader.Http.SendAsync(tail);

        Assert.Equal(1024, whole.Length);
        Assert.Equal(HttpStatusCode.PartialContent, tailResponse.StatusCode);
        var view = Assert.Single(Views(server, clipId));
        Assert.Equal("admin", view.Actor);
    }

    private static List<AuditEntry> Views(ConsoleServer server, string clipId) =>
        server.App.Services.GetRequiredService<AuditLog>().Recent(100).Where(e => e.Action == AuditActions.RecordingViewed && e.Target == $"clip:{clipId}").ToList();

    private static async Task<(string ClipId, SignedInClient Reader)> CompleteClipAsync(ConsoleServer server)
    {
        server.AddSite("hall-a");
        var reader = await server.SignedInClientAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-10);
        var response = await reader.Http.PostAsJsonAsync("/api/sites/hall-a/clips", new { cameraId = "cam-1", from, to = from.AddMinutes(1), reason = "投诉" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var clipId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;

        // Stands in for a finished upload: the file in place and the record marked complete.
        var store = server.App.Services.GetRequiredService<ClipStore>();
        var clip = store.Find(clipId)!;
        Directory.CreateDirectory(Path.GetDirectoryName(store.FinalPath(clip))!);
        await File.WriteAllBytesAsync(store.FinalPath(clip), Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray());
        clip.Status = ClipStatus.Complete;
        clip.TotalBytes = 1024;
        server.App.Services.GetRequiredService<ConsoleDatabase>().Database.GetCollection<ClipRecord>("clips").Update(clip);
        return (clipId, reader);
    }
}
