using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Review;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>Finding 3 of the security review: clip requests skipped the district check, were not audited and had no cap.</summary>
public sealed class ClipRequestSecurityTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ClipRequest_BySupervisorOfAnotherDistrict_Is404AndNeverReachesTheRecorder()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", district: "东区");
        var received = new ConcurrentQueue<ClipRequested>();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var recorder = server.RecorderConnection("hall-a", key);
        recorder.On<ClipRequested>(nameof(IRecorderClient.RequestClip), received.Enqueue);
        recorder.On<CamerasWatched>(nameof(IRecorderClient.WatchCameras), _ => connected.TrySetResult());
        await recorder.StartAsync();
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var outsider = await server.SignedInUserAsync("west", Roles.Supervisor, "西区");
        using var insider = await server.SignedInUserAsync("east", Roles.Supervisor, "东区");

        var refused = await PostAsync(outsider, "hall-a");
        var accepted = await PostAsync(insider, "hall-a");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        // The Recorder hears the legitimate request; the outsider's never went out before it.
        await WaitUntilAsync(() => !received.IsEmpty);
        Assert.Equal("east", Assert.Single(received).RequestedBy);
        var clips = server.App.Services.GetRequiredService<ClipStore>();
        var audit = server.App.Services.GetRequiredService<AuditLog>().Recent(50);
        var entry = Assert.Single(audit, e => e.Action == AuditActions.ClipRequested);
        Assert.Equal("east", entry.Actor);
        Assert.StartsWith("hall-a/cam-1 ", entry.Detail, StringComparison.Ordinal);
        Assert.NotNull(clips.Find(entry.Target["clip:".Length..]));
    }

    [Fact]
    public async Task ClipRequestFlood_IsStoppedByThePerUserAndPerSiteCaps()
    {
        await using var server = await ConsoleServer.StartAsync("--Review:MaxOutstandingClipsPerUser=2", "--Review:MaxOutstandingClipsPerSite=3");
        server.AddSite("hall-a");
        using var first = await server.SignedInUserAsync("sup-1", Roles.Supervisor, "测试区");
        using var second = await server.SignedInUserAsync("sup-2", Roles.Supervisor, "测试区");

        var byFirst = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(first, "hall-a")));
        var bySecond = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(second, "hall-a")));

        Assert.Equal(2, byFirst.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(3, byFirst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        // The site owes three clips: the second user gets the one place left.
        Assert.Equal(1, bySecond.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var problem = await bySecond.First(r => r.StatusCode == HttpStatusCode.TooManyRequests).Content.ReadAsStringAsync();
        Assert.Contains("owes 3 clips", problem, StringComparison.Ordinal);
        // A clip that arrives (here: fails) frees its place.
        var clips = server.App.Services.GetRequiredService<ClipStore>();
        clips.Fail(clips.Unfinished("hall-a").First(c => c.RequestedBy == "sup-1"), "recorder: no recording");
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(first, "hall-a")).StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(SignedInClient client, string siteId) =>
        client.Http.PostAsJsonAsync($"/api/sites/{siteId}/clips", new { cameraId = "cam-1", from = From, to = From.AddMinutes(1), reason = "投诉" });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
