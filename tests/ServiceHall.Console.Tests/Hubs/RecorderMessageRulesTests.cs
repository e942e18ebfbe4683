using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Hubs;

public sealed class RecorderMessageRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Check_GoodHeartbeat_IsFine() =>
        Assert.Null(RecorderMessageRules.Check(new HeartbeatSent("h", "0.1.0", At, 1, [new CameraHealthReported("cam-1", "c", true, At, 640, 360, null)])));

    [Fact]
    public void Check_HeartbeatWithTooManyCameras_IsRejected()
    {
        var cameras = Enumerable.Range(0, RecorderMessageRules.MaxCameras + 1).Select(i => new CameraHealthReported($"cam-{i}", "c", true, At, 1, 1, null)).ToList();

        Assert.Contains("more than", RecorderMessageRules.Check(new HeartbeatSent("h", "v", At, 1, cameras)), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HeartbeatWithPathLikeCameraId_IsRejected() =>
        Assert.Equal("camera id is not a slug", RecorderMessageRules.Check(new HeartbeatSent("h", "v", At, 1, [new CameraHealthReported("../x", "c", true, At, 1, 1, null)])));

    [Theory]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Check_HeartbeatWithImplausibleSkippedFrames_IsRejected(int skipped) =>
        Assert.Equal("camera cam-1: implausible skipped frame count", RecorderMessageRules.Check(new HeartbeatSent("h", "v", At, 1, [new CameraHealthReported("cam-1", "c", true, At, 1, 1, null, skipped)])));

    [Fact]
    public void Check_HeartbeatWithBothStreams_IsFine() =>
        Assert.Null(RecorderMessageRules.Check(Reporting(new CameraStreamReported("main", "up", "hevc", 2560, 1440, 2, 4000), new CameraStreamReported("sub", "refused", "h264", 640, 480, 2, null, "另一种画面比例"))));

    [Fact]
    public void Check_HeartbeatWithHostileStreams_IsRejected()
    {
        var many = Enumerable.Range(0, RecorderMessageRules.MaxStreams + 1).Select(_ => new CameraStreamReported("sub", "up")).ToArray();

        Assert.Equal("camera cam-1: more than 4 streams", RecorderMessageRules.Check(Reporting(many)));
        Assert.Contains("too long", RecorderMessageRules.Check(Reporting(new CameraStreamReported("main", new string('x', 33)))), StringComparison.Ordinal);
        Assert.Contains("too long", RecorderMessageRules.Check(Reporting(new CameraStreamReported("main", "down", Error: new string('x', 2001)))), StringComparison.Ordinal);
        Assert.Contains("missing", RecorderMessageRules.Check(Reporting(new CameraStreamReported(null!, "up"))), StringComparison.Ordinal);
        Assert.Contains("implausible", RecorderMessageRules.Check(Reporting(new CameraStreamReported("main", "up", KeyFrameIntervalSeconds: double.NaN))), StringComparison.Ordinal);
        Assert.Contains("implausible", RecorderMessageRules.Check(Reporting(new CameraStreamReported("main", "up", Width: 100_000))), StringComparison.Ordinal);
        Assert.Contains("implausible", RecorderMessageRules.Check(Reporting(new CameraStreamReported("main", "up", BitrateKbps: -1))), StringComparison.Ordinal);
    }

    private static HeartbeatSent Reporting(params CameraStreamReported[] streams) =>
        new("h", "v", At, 1, [new CameraHealthReported("cam-1", "c", true, At, 640, 360, null, Streams: streams)]);

    [Fact]
    public void Check_HeartbeatWithoutCameras_IsRejected() =>
        Assert.NotNull(RecorderMessageRules.Check(new HeartbeatSent("h", "v", At, 1, null!)));

    [Fact]
    public void Check_SnapshotThatIsNotAJpeg_IsRejected() =>
        Assert.Equal("not a JPEG", RecorderMessageRules.Check(new SnapshotTaken("cam-1", At, 1, 1, [0x89, 0x50, 0x4E, 0x47]), 1024));

    [Fact]
    public void Check_OversizedSnapshot_IsRejected() =>
        Assert.Contains("larger than", RecorderMessageRules.Check(new SnapshotTaken("cam-1", At, 1, 1, new byte[2048]), 1024), StringComparison.Ordinal);

    [Fact]
    public void Check_GoodSnapshot_IsFine() =>
        Assert.Null(RecorderMessageRules.Check(new SnapshotTaken("cam-1", At, 640, 360, [0xFF, 0xD8, 0xFF, 0xD9]), 1024));
}
