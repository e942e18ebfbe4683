using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Alerts;

/// <summary>The alert webhook against a real HTTP receiver on 127.0.0.1 that fails before it answers.</summary>
public sealed class AlertWebhookTests
{
    [Fact]
    public async Task UnstaffedAlert_IsPostedToTheWebhook_RetriedUntilTheReceiverAccepts()
    {
        var attempts = 0;
        var accepted = new ConcurrentQueue<AlertView>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            accepted.Enqueue((await JsonSerializer.DeserializeAsync<AlertView>(request.Body, WireJson.Options))!);
            return Results.Ok();
        });
        await receiver.StartAsync();
        var hook = new Uri(new Uri(receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/hook");

        await using var server = await ConsoleServer.StartAsync($"--Alerts:WebhookUrl={hook}", "--Alerts:WebhookRetryInitialDelay=00:00:00.100", "--Alerts:WebhookRetryMaxDelay=00:00:00.500");
        var key = server.AddSite("hall-a", "甲", "d1");
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        var at = DateTimeOffset.UtcNow;
        await recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents),
            new EventBatchSent([new EventRecorded(Guid.NewGuid(), 1, at, new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = at, AwaySince = at.AddMinutes(-5) }, null)]));

        var alert = await Eventually.Until(() => accepted.FirstOrDefault(), TimeSpan.FromSeconds(20), "the webhook to be accepted");

        Assert.Equal(3, Volatile.Read(ref attempts));
        Assert.Equal((AlertTypes.WindowUnstaffed, "hall-a", "w01", AlertStates.Open), (alert.Type, alert.SiteId, alert.Subject, alert.State));
    }
}
