using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>Pins the outbox messages: a Recorder upgraded a year after the Console must still be understood.</summary>
public sealed class EventWireJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, WireJson.Options);

    [Fact]
    public void EventRecorded_HasPinnedShape_WithPolymorphicEventAndBase64Snapshot()
    {
        var entry = new EventRecorded(Id, 42, At, new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At }, [0xFF, 0xD8, 0xFF, 0xD9]);

        Assert.Equal(
            """{"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","sequence":42,"recordedAt":"2026-11-26T01:02:03+00:00","event":{"type":"WindowVacated","windowId":"w01","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"},"snapshotJpeg":"/9j/2Q=="}""",
            Json(entry));
    }

    [Fact]
    public void EventBatchSent_HasPinnedShape() =>
        Assert.Equal(
            """{"events":[{"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","sequence":1,"recordedAt":"2026-11-26T01:02:03+00:00","event":{"type":"CameraLost","reason":"stalled","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"},"snapshotJpeg":null}]}""",
            Json(new EventBatchSent([new EventRecorded(Id, 1, At, new CameraLost { CameraId = "cam-1", OccurredAt = At, Reason = "stalled" }, null)])));

    [Fact]
    public void EventBatchAcknowledged_HasPinnedShape() =>
        Assert.Equal(
            """{"firstSequence":1,"lastSequence":9,"stored":7,"duplicates":1,"rejected":[{"sequence":5,"reason":"bad camera id"}]}""",
            Json(new EventBatchAcknowledged(1, 9, 7, 1, [new EventRejected(5, "bad camera id")])));

    [Fact]
    public void EventRecorded_ReadsBack_ToTheSameEvent()
    {
        var original = new EventRecorded(Id, 7, At, new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, AwaySince = At.AddMinutes(-5) }, null);

        var parsed = JsonSerializer.Deserialize<EventRecorded>(Json(original), WireJson.Options)!;

        Assert.Equal(original.Event, parsed.Event);
        Assert.Equal(7, parsed.Sequence);
    }

    [Fact]
    public void EventRecorded_WithUnknownEventType_ReadsAsUnreadable_NamingTheType_RatherThanMisreading()
    {
        // One unreadable event must not fail its whole batch: the Console rejects it alone and the Recorder parks it.
        var parsed = JsonSerializer.Deserialize<EventRecorded>(
            """{"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","sequence":1,"recordedAt":"2026-11-26T01:02:03+00:00","event":{"type":"FromTheFuture","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}}""",
            WireJson.Options)!;

        var unreadable = Assert.IsType<UnreadableEvent>(parsed.Event);
        Assert.Equal("FromTheFuture", unreadable.Type);
        Assert.Contains("'FromTheFuture' is not known to this Console", unreadable.Problem, StringComparison.Ordinal);
        Assert.Equal((1L, Id), (parsed.Sequence, parsed.EventId));
    }

    [Fact]
    public void EventRecorded_WithAKnownTypeMissingARequiredField_ReadsAsUnreadable_WithTheReadersReason()
    {
        var parsed = JsonSerializer.Deserialize<EventRecorded>(
            """{"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","sequence":2,"recordedAt":"2026-11-26T01:02:03+00:00","event":{"type":"CameraLost","occurredAt":"2026-11-26T01:02:03+00:00"}}""",
            WireJson.Options)!;

        var unreadable = Assert.IsType<UnreadableEvent>(parsed.Event);
        Assert.Equal("CameraLost", unreadable.Type);
        Assert.StartsWith("event cannot be read: ", unreadable.Problem, StringComparison.Ordinal);
    }
}
