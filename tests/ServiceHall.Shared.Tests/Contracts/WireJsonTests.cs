using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>Recorders in the field are upgraded after the Console: these pin every message's JSON exactly.</summary>
public sealed class WireJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 2, 3, TimeSpan.Zero);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, WireJson.Options);

    [Fact]
    public void HeartbeatSent_HasPinnedShape()
    {
        var message = new HeartbeatSent("Hall", "0.1.0", At, 1234, [new CameraHealthReported("cam-1", "One", true, At, 640, 360, null)]);

        Assert.Equal(
            """{"siteName":"Hall","recorderVersion":"0.1.0","sentAt":"2026-11-26T01:02:03+00:00","freeDiskBytes":1234,"cameras":[{"cameraId":"cam-1","name":"One","online":true,"lastFrameAt":"2026-11-26T01:02:03+00:00","width":640,"height":360,"error":null,"skippedFramesLastMinute":0}]}""",
            Json(message));
    }

    [Fact]
    public void HeartbeatSent_SingleSignal_IsWrittenOnlyWhenTrue_AndReadsBack()
    {
        var single = new HeartbeatSent("Hall", "0.1.0", At, 1, [], SingleSignal: true);

        Assert.EndsWith(""","cameras":[],"singleSignal":true}""", Json(single), StringComparison.Ordinal);
        Assert.True(JsonSerializer.Deserialize<HeartbeatSent>(Json(single), WireJson.Options)!.SingleSignal);
        Assert.DoesNotContain("singleSignal", Json(single with { SingleSignal = false }), StringComparison.Ordinal);
    }

    [Fact]
    public void HeartbeatSent_FromARecorderOlderThanSkippedFrames_ReadsAsNoneSkipped()
    {
        const string old = """{"siteName":"Hall","recorderVersion":"0.1.0","sentAt":"2026-11-26T01:02:03+00:00","freeDiskBytes":1234,"cameras":[{"cameraId":"cam-1","name":"One","online":true,"lastFrameAt":"2026-11-26T01:02:03+00:00","width":640,"height":360,"error":null}]}""";

        var parsed = JsonSerializer.Deserialize<HeartbeatSent>(old, WireJson.Options);

        Assert.Equal(0, parsed!.Cameras.Single().SkippedFramesLastMinute);
        Assert.Equal(640, parsed.Cameras.Single().Width);
    }

    [Fact]
    public void ChineseNames_RoundTrip()
    {
        var parsed = JsonSerializer.Deserialize<HeartbeatSent>(Json(new HeartbeatSent("顺庆区演示便民服务中心", "0.1.0", At, 1, [])), WireJson.Options);

        Assert.Equal("顺庆区演示便民服务中心", parsed!.SiteName);
    }

    [Fact]
    public void HeartbeatAcknowledged_HasPinnedShape() =>
        Assert.Equal("""{"serverTime":"2026-11-26T01:02:03+00:00"}""", Json(new HeartbeatAcknowledged(At)));

    [Fact]
    public void SnapshotTaken_CarriesJpegAsBase64() =>
        Assert.Equal(
            """{"cameraId":"cam-1","takenAt":"2026-11-26T01:02:03+00:00","width":2,"height":1,"jpeg":"/9j/2Q=="}""",
            Json(new SnapshotTaken("cam-1", At, 2, 1, [0xFF, 0xD8, 0xFF, 0xD9])));

    [Fact]
    public void SiteStatusChanged_HasPinnedShape() =>
        Assert.Equal(
            """{"siteId":"s1","name":"n","district":"d","online":false,"lastHeartbeatAt":null,"recorderVersion":null,"clockSkewSeconds":null,"freeDiskBytes":null,"cameras":[{"cameraId":"cam-1","name":"c","online":false,"width":0,"height":0,"snapshotAt":null,"error":"down","skippedFramesLastMinute":0}],"reconnecting":false}""",
            Json(new SiteStatusChanged("s1", "n", "d", false, null, null, null, null, [new CameraStatus("cam-1", "c", false, 0, 0, null, "down")])));

    [Fact]
    public void CameraHealthReported_GopFields_PinnedWhenSetAndAbsentFromOlderShape()
    {
        var camera = new CameraHealthReported("cam-1", "One", true, null, 640, 360, null, 0, 10, false, "GOP 10 s > 4 s: every frame decoded, about 20 % of a core at 1080p");

        Assert.Equal(
            """{"cameraId":"cam-1","name":"One","online":true,"lastFrameAt":null,"width":640,"height":360,"error":null,"skippedFramesLastMinute":0,"keyFrameIntervalSeconds":10,"analysisWarning":"GOP 10 s \u003E 4 s: every frame decoded, about 20 % of a core at 1080p"}""",
            Json(camera));
        Assert.Equal(
            """{"cameraId":"cam-1","name":"c","online":true,"width":0,"height":0,"snapshotAt":null,"error":null,"skippedFramesLastMinute":0,"keyFrameIntervalSeconds":2,"keyFramesOnly":true}""",
            Json(new CameraStatus("cam-1", "c", true, 0, 0, null, null, 0, 2, KeyFramesOnly: true)));
    }

    [Fact]
    public void CameraHealthReported_Streams_PinnedWhenSetAndReadBack()
    {
        var camera = new CameraHealthReported("cam-1", "One", true, null, 1920, 1080, null) with
        {
            Streams =
            [
                new CameraStreamReported("main", "up", "hevc", 1920, 1080, 2, 4096),
                new CameraStreamReported("sub", "refused", "h264", 640, 480, Error: "sub stream 640x480 has another shape"),
            ],
            AnalysisSource = "main",
        };

        var json = Json(camera);

        Assert.EndsWith(
            ""","skippedFramesLastMinute":0,"streams":[{"role":"main","state":"up","codec":"hevc","width":1920,"height":1080,"keyFrameIntervalSeconds":2,"bitrateKbps":4096},{"role":"sub","state":"refused","codec":"h264","width":640,"height":480,"error":"sub stream 640x480 has another shape"}],"analysisSource":"main"}""",
            json,
            StringComparison.Ordinal);
        Assert.Equal(camera.Streams, JsonSerializer.Deserialize<CameraHealthReported>(json, WireJson.Options)!.Streams);
        Assert.EndsWith(
            ""","streams":[{"role":"main","state":"connecting"}],"analysisSource":"sub"}""",
            Json(new CameraStatus("cam-1", "c", true, 0, 0, null, null, Streams: [new CameraStreamReported("main", "connecting")], AnalysisSource: "sub")),
            StringComparison.Ordinal);
    }

    [Fact]
    public void SiteStatusesChanged_HasPinnedShape() =>
        Assert.Equal(
            """{"sites":[{"siteId":"s1","name":"n","district":"d","online":true,"lastHeartbeatAt":null,"recorderVersion":null,"clockSkewSeconds":null,"freeDiskBytes":null,"cameras":[],"reconnecting":true}]}""",
            Json(new SiteStatusesChanged([new SiteStatusChanged("s1", "n", "d", true, null, null, null, null, [], Reconnecting: true)])));

    [Fact]
    public void SnapshotUpdated_HasPinnedShape() =>
        Assert.Equal(
            """{"siteId":"s1","cameraId":"cam-1","takenAt":"2026-11-26T01:02:03+00:00","width":640,"height":360}""",
            Json(new SnapshotUpdated("s1", "cam-1", At, 640, 360)));

    [Fact]
    public void HeartbeatSent_FromAnOlderRecorderWithoutCameras_StillReads()
    {
        var parsed = JsonSerializer.Deserialize<HeartbeatSent>("""{"siteName":"a","recorderVersion":"0.0.1","sentAt":"2026-11-26T01:02:03+00:00","freeDiskBytes":1}""", WireJson.Options);

        Assert.NotNull(parsed);
        Assert.Equal("a", parsed.SiteName);
        Assert.Null(parsed.Cameras);
    }

    [Fact]
    public void SiteEvent_CarriesTypeDiscriminatorFirst()
    {
        SiteEvent e = new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, AwaySince = At.AddMinutes(-5) };

        Assert.Equal(
            """{"type":"WindowUnstaffed","windowId":"w01","awaySince":"2026-11-26T00:57:03+00:00","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"cam-1"}""",
            Json(e));
    }

    [Fact]
    public void SiteEvent_RoundTripsThroughTheBaseType()
    {
        SiteEvent e = new CameraLost { CameraId = "cam-1", OccurredAt = At, Reason = "stalled" };

        var back = JsonSerializer.Deserialize<SiteEvent>(Json(e), WireJson.Options);

        Assert.Equal(e, back);
    }

    [Fact]
    public void SiteEvent_OfUnknownType_IsRefused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SiteEvent>("""{"type":"Teleported","occurredAt":"2026-11-26T01:02:03+00:00","cameraId":"c"}""", WireJson.Options));
}
