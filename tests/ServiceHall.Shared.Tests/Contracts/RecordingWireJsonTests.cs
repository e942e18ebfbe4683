using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>Pins the JSON of the recording, tamper and clip messages (Recorders are upgraded after the Console).</summary>
public sealed class RecordingWireJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);

    private static string Json(SiteEvent value) => JsonSerializer.Serialize(value, WireJson.Options);

    [Fact]
    public void RecordingGap_HasPinnedShape() =>
        Assert.Equal(
            """{"type":"RecordingGap","from":"2026-11-26T01:00:03+00:00","to":"2026-11-26T01:02:03+00:00","cause":"camera lost: stalled","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new RecordingGap { CameraId = "cam-1", OccurredAt = At, From = At.AddMinutes(-2), To = At, Cause = "camera lost: stalled" }));

    [Fact]
    public void DiskLow_HasPinnedShape() =>
        Assert.Equal(
            """{"type":"DiskLow","freeBytes":1,"recordingBytes":2,"heldBytes":3,"reason":"r","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new DiskLow { CameraId = "cam-1", OccurredAt = At, FreeBytes = 1, RecordingBytes = 2, HeldBytes = 3, Reason = "r" }));

    [Fact]
    public void CameraTampered_HasPinnedShapeWithKindAsText() =>
        Assert.Equal(
            """{"type":"CameraTampered","kind":"Covered","detail":"d","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new CameraTampered { CameraId = "cam-1", OccurredAt = At, Kind = TamperKind.Covered, Detail = "d" }));

    [Fact]
    public void CameraTamperCleared_RoundTripsThroughTheBaseType()
    {
        SiteEvent e = new CameraTamperCleared { CameraId = "cam-1", OccurredAt = At, Kind = TamperKind.Moved };

        Assert.Equal("""{"type":"CameraTamperCleared","kind":"Moved","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""", Json(e));
        Assert.Equal(e, JsonSerializer.Deserialize<SiteEvent>(Json(e), WireJson.Options));
    }

    [Fact]
    public void HoldPlaced_HasPinnedShape() =>
        Assert.Equal(
            """{"type":"HoldPlaced","holdId":"0123456789abcdef0123456789abcdef","from":"2026-11-26T01:00:03+00:00","to":"2026-11-26T01:02:03+00:00","reason":"r","placedBy":"zhang","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new HoldPlaced { CameraId = "cam-1", OccurredAt = At, HoldId = "0123456789abcdef0123456789abcdef", From = At.AddMinutes(-2), To = At, Reason = "r", PlacedBy = "zhang" }));

    [Fact]
    public void HoldReleased_HasPinnedShape() =>
        Assert.Equal(
            """{"type":"HoldReleased","holdId":"0123456789abcdef0123456789abcdef","releasedBy":"zhang","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(new HoldReleased { CameraId = "cam-1", OccurredAt = At, HoldId = "0123456789abcdef0123456789abcdef", ReleasedBy = "zhang" }));

    [Fact]
    public void HoldRequests_HavePinnedShapes()
    {
        Assert.Equal(
            """{"holdId":"0123456789abcdef0123456789abcdef","cameraId":"cam-1","from":"2026-11-26T01:00:03+00:00","to":"2026-11-26T01:02:03+00:00","reason":"r","placedBy":"zhang"}""",
            JsonSerializer.Serialize(new HoldRequested("0123456789abcdef0123456789abcdef", "cam-1", At.AddMinutes(-2), At, "r", "zhang"), WireJson.Options));
        Assert.Equal(
            """{"holdId":"0123456789abcdef0123456789abcdef","releasedBy":"zhang"}""",
            JsonSerializer.Serialize(new HoldReleaseRequested("0123456789abcdef0123456789abcdef", "zhang"), WireJson.Options));
    }

    [Fact]
    public void ClipProgressed_HasPinnedShape() =>
        Assert.Equal(
            """{"clipId":"0123","siteId":"hall-a","cameraId":"cam-1","status":"Uploading","receivedBytes":1048576,"totalBytes":4194304,"error":null}""",
            JsonSerializer.Serialize(new ClipProgressed("0123", "hall-a", "cam-1", "Uploading", 1 << 20, 4 << 20, null), WireJson.Options));
}
