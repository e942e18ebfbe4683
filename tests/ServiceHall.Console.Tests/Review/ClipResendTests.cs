using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Review;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Review;

/// <summary>A clip requested while the site's Recorder is offline is not lost: the Console sends it when the Recorder connects.</summary>
public sealed class ClipResendTests
{
    [Fact]
    public async Task ClipsRequestedWhileOffline_AreSentOnConnect_ButNotFinishedOnes()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a");
        using var supervisor = await server.SignedInClientAsync();
        var from = DateTimeOffset.UtcNow.AddMinutes(-10);
        var waiting = await RequestAsync(supervisor, from, "投诉 A");
        var failed = await RequestAsync(supervisor, from, "投诉 B");
        var store = server.App.Services.GetRequiredService<ClipStore>();
        store.Fail(store.Find(failed)!, "recorder: no recording");

        var received = new ConcurrentQueue<ClipRequested>();
        var connectDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var recorder = server.RecorderConnection("hall-a", key);
        recorder.On<ClipRequested>(nameof(IRecorderClient.RequestClip), received.Enqueue);
        // The Console tells a connecting Recorder which cameras are watched after everything else it owes it.
        recorder.On<CamerasWatched>(nameof(IRecorderClient.WatchCameras), _ => connectDone.TrySetResult());
        await recorder.StartAsync();
        await connectDone.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var request = Assert.Single(received);
        Assert.Equal((waiting, "cam-1", "投诉 A", "admin"), (request.ClipId, request.CameraId, request.Reason, request.RequestedBy));
        Assert.Equal(from, request.From);
        Assert.Equal("Requested", (await supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/clips/{waiting}")).GetProperty("status").GetString());
    }

    private static async Task<string> RequestAsync(SignedInClient supervisor, DateTimeOffset from, string reason)
    {
        var response = await supervisor.Http.PostAsJsonAsync("/api/sites/hall-a/clips", new { cameraId = "cam-1", from, to = from.AddMinutes(1), reason });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;
    }
}
