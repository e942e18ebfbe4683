using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Alerts;

/// <summary>The alert webhook against a real HTTP receiver on 127.0.0.1 that fails before it answers.</summary>
public sealed class AlertWebhookTests
{
    [Fact]
    public async Task UnstaffedAlert_IsPostedToTheWebhook_RetriedUntilTheReceiverAccepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Refuses = attempt => attempt <= 2;
        var hook = receiver.Url;

        await using var server = await ConsoleServer.StartAsync($"--Alerts:WebhookUrl={hook}", "--Alerts:WebhookRetryInitialDelay=00:00:00.100", "--Alerts:WebhookRetryMaxDelay=00:00:00.500");
        var key = server.AddSite("hall-a", "甲", "d1");
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        var at = DateTimeOffset.UtcNow;
        await recorder.InvokeAsync<EventBatchAcknowledged>(
            nameof(IRecorderHub.PublishEvents),
            new EventBatchSent([new EventRecorded(Guid.NewGuid(), 1, at, new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = at, AwaySince = at.AddMinutes(-5) }, null)]));

        var alert = await Eventually.Until(() => receiver.Accepted.FirstOrDefault(), TimeSpan.FromSeconds(20), "the webhook to be accepted");

        Assert.Equal(3, receiver.Attempts);
        Assert.Equal((AlertTypes.WindowUnstaffed, "hall-a", "w01", AlertStates.Open), (alert.Type, alert.SiteId, alert.Subject, alert.State));
    }
}
