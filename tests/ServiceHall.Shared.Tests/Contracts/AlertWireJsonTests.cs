using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>Pins what supervisors' screens and the alert webhook receive.</summary>
public sealed class AlertWireJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, WireJson.Options);

    private static AlertView Alert(string state) =>
        new("a1", AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", state, "unstaffed", At, 0, null, null, null, null, null);

    [Fact]
    public void AlertRaised_HasPinnedShape() =>
        Assert.Equal(
            """{"alert":{"alertId":"a1","type":"WindowUnstaffed","siteId":"hall-a","district":"d1","subject":"w01","state":"Open","message":"unstaffed","openedAt":"2026-11-26T01:02:03+00:00","escalationLevel":0,"acknowledgedAt":null,"acknowledgedBy":null,"note":null,"resolvedAt":null,"resolvedBy":null}}""",
            Json(new AlertRaised(Alert(AlertStates.Open))));

    [Fact]
    public void AlertChanged_HasPinnedShape() =>
        Assert.Equal(
            """{"alert":{"alertId":"a1","type":"WindowUnstaffed","siteId":"hall-a","district":"d1","subject":"w01","state":"Acknowledged","message":"unstaffed","openedAt":"2026-11-26T01:02:03+00:00","escalationLevel":2,"acknowledgedAt":"2026-11-26T01:02:03+00:00","acknowledgedBy":"wang","note":"ok","resolvedAt":null,"resolvedBy":null}}""",
            Json(new AlertChanged(Alert(AlertStates.Acknowledged) with { EscalationLevel = 2, AcknowledgedAt = At, AcknowledgedBy = "wang", Note = "ok" })));

    [Fact]
    public void WindowStateChanged_HasPinnedShape() =>
        Assert.Equal(
            """{"siteId":"hall-a","district":"d1","cameraId":"cam-1","windowId":"w01","state":"Unstaffed","since":"2026-11-26T01:02:03+00:00","receivedAt":"2026-11-26T01:02:03+00:00"}""",
            Json(new WindowStateChanged("hall-a", "d1", "cam-1", "w01", WindowState.Unstaffed, At, At)));

    [Fact]
    public void WindowStatesChanged_HasPinnedShape() =>
        Assert.Equal(
            """{"windows":[{"siteId":"hall-a","district":"d1","cameraId":"cam-1","windowId":"w01","state":"Away","since":"2026-11-26T01:02:03+00:00","receivedAt":"2026-11-26T01:02:03+00:00"}]}""",
            Json(new WindowStatesChanged([new WindowStateChanged("hall-a", "d1", "cam-1", "w01", WindowState.Away, At, At)])));
}
