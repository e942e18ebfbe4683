using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 12 of the security review, the Console's side: data that used to stop or leak silently. An event type from
/// a newer Recorder no longer fails its whole batch (which the Recorder resent forever) but is rejected alone with a
/// reason and raises <c>EventsParked</c>; the alert webhook keeps what it could not post in its database and delivers
/// every alert once when the receiver is back, even after a restart; <c>/api/events</c> reads one index range per site.
/// </summary>
public sealed class SilentLossTests
{
    [Fact]
    public async Task UnknownEventTypeFromANewerRecorder_IsRejectedAlone_LaterEventsAreStored_AndEventsParkedIsRaised()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        // The batch a newer Recorder sends: its second event has a type this Console has never heard of.
        var batch = JsonSerializer.SerializeToNode(new EventBatchSent([Staffed(1, at), Staffed(2, at), Staffed(3, at)]), WireJson.Options)!;
        batch["events"]![1]!["event"]!["type"] = "WindowLeftEarly";
        batch["events"]![1]!["event"]!["leftEarlyBy"] = 42;
        var ack = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        var next = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Staffed(4, at)]));

        Assert.Equal((1L, 3L, 2), (ack.FirstSequence, ack.LastSequence, ack.Stored));
        var rejected = Assert.Single(ack.Rejected);
        Assert.Equal(2, rejected.Sequence);
        Assert.Contains("'WindowLeftEarly' is not known to this Console", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(1, next.Stored);
        Assert.Equal([1L, 3L, 4L], server.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a").Select(e => e.Sequence));
        using var admin = await server.SignedInClientAsync();
        var alerts = await admin.Http.GetFromJsonAsync<List<AlertView>>("/api/alerts", WireJson.Options);
        var parked = Assert.Single(alerts!, a => a.Type == AlertTypes.EventsParked);
        Assert.Equal(("hall-a", AlertStates.Open), (parked.SiteId, parked.State));
        Assert.Contains("WindowLeftEarly", parked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhookDownThenUp_EvenAcrossAConsoleRestart_DeliversEveryAlertOnce_InOrder()
    {
        var up = false;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Refuses = _ => !Volatile.Read(ref up);
        var hook = receiver.Url;
        using var data = new TempDirectory();
        string[] args = [$"--Storage:DataDirectory={data.Path}", $"--Alerts:WebhookUrl={hook}", "--Alerts:WebhookRetryInitialDelay=00:00:00.050", "--Alerts:WebhookRetryMaxDelay=00:00:00.200", "--Alerts:WebhookMaxAttempts=2"];
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        string key;

        await using (var first = await ConsoleServer.StartAsync(args))
        {
            key = first.AddSite("hall-a", "甲", "d1");
            await using var recorder = first.RecorderConnection("hall-a", key);
            await recorder.StartAsync();
            await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Unstaffed(1, "w01", at), Unstaffed(2, "w02", at), Unstaffed(3, "w03", at)]));
            // Far more failed posts than Alerts:WebhookMaxAttempts: nothing is given up.
            await Eventually.True(() => receiver.Refused >= 8, TimeSpan.FromSeconds(20), "the receiver to refuse several posts");
        }

        await using var second = await ConsoleServer.StartAsync(args);
        Volatile.Write(ref up, true);
        await Eventually.True(() => receiver.Accepted.Count >= 3, TimeSpan.FromSeconds(20), "every queued alert to arrive");
        await using var recorderAgain = second.RecorderConnection("hall-a", key);
        await recorderAgain.StartAsync();
        await recorderAgain.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([Unstaffed(4, "w04", at)]));
        // A post leaves the queue once its answer is read, a moment after the receiver kept it.
        var webhook = second.App.Services.GetRequiredService<AlertWebhook>();
        await Eventually.True(() => receiver.Accepted.Count >= 4 && webhook.Pending == 0, TimeSpan.FromSeconds(20), "the new alert to arrive and the queue to empty");

        Assert.Equal(["w01", "w02", "w03", "w04"], receiver.Accepted.Select(a => a.Subject));
        Assert.Equal(4, receiver.Accepted.Select(a => a.AlertId).Distinct().Count());
    }

    [Fact]
    public async Task EventsQuery_ForOneSite_ReadsOneRangeOfTheSiteAndTimeIndex_AndReturnsExactlyThatSitesEventsInThePeriod()
    {
        await using var server = await ConsoleServer.StartAsync();
        var at = DateTimeOffset.UtcNow.AddHours(-2);
        foreach (var site in new[] { "hall-a", "hall-ab", "hall-b" })
        {
            var key = server.AddSite(site, site, site == "hall-b" ? "d2" : "d1");
            await using var recorder = server.RecorderConnection(site, key);
            await recorder.StartAsync();
            await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent([.. Enumerable.Range(1, 30).Select(n => Staffed(n, at.AddMinutes(n)))]));
        }

        using var viewer = await server.SignedInUserAsync("v1", "Viewer", "d1");
        var from = at.AddMinutes(10);
        var to = at.AddMinutes(20);
        var found = await viewer.Http.GetFromJsonAsync<List<JsonElement>>($"/api/events?site=hall-a&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        var all = await viewer.Http.GetFromJsonAsync<List<JsonElement>>($"/api/events?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&limit=15");
        var outside = await viewer.Http.GetFromJsonAsync<List<JsonElement>>($"/api/events?site=hall-b&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        var plan = Assert.IsType<LiteDbEventStore>(server.App.Services.GetRequiredService<IEventStore>()).RangePlan("hall-a", from, to);

        Assert.Equal(Enumerable.Range(10, 10).Select(n => ("hall-a", (long)n)), found!.Select(e => (e.GetProperty("siteId").GetString()!, e.GetProperty("sequence").GetInt64())));
        Assert.Equal(15, all!.Count);
        Assert.All(all, e => Assert.StartsWith("hall-a", e.GetProperty("siteId").GetString(), StringComparison.Ordinal));
        Assert.True(all.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()).SequenceEqual(all.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()).Order()), "oldest first across sites");
        Assert.Empty(outside!);
        Assert.Equal("SiteTime", plan["index"]["name"].AsString);
    }

    private static EventRecorded Staffed(long sequence, DateTimeOffset at) =>
        new(Guid.NewGuid(), sequence, at, new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = at }, null);

    private static EventRecorded Unstaffed(long sequence, string window, DateTimeOffset at) =>
        new(Guid.NewGuid(), sequence, at, new WindowUnstaffed { CameraId = "cam-1", WindowId = window, OccurredAt = at, AwaySince = at.AddMinutes(-5) }, null);
}
