using Microsoft.Extensions.Options;
using OpenCvSharp;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Health;
using ServiceHall.Recorder.Tests.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Health;

/// <summary>Tamper detection on real footage (OpenCV's vtest.avi frames, prepared by setup), one frame per second of video time.</summary>
public sealed class TamperDetectorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);
    private readonly RecordingRig _rig = new();
    private readonly TamperDetector _detector;
    private int _second;

    public TamperDetectorTests()
    {
        _detector = new TamperDetector(Options.Create(new HealthOptions { TamperDebounce = TimeSpan.FromSeconds(5) }), _rig.Get<EventReporter>());
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task NormalFootageWithPeopleWalking_RaisesNothing()
    {
        await FeedAsync(60, (_, _) => { });

        Assert.Empty(_rig.Sink.Events);
    }

    [Fact]
    public async Task LensCovered_RaisesCoveredAfterTheDebounceAndClearsWhenUncovered()
    {
        await FeedAsync(10, (_, _) => { });
        await FeedAsync(4, (src, dst) => dst.SetTo(Scalar.All(3)));
        Assert.Empty(_rig.Sink.Events);

        await FeedAsync(4, (src, dst) => dst.SetTo(Scalar.All(3)));
        var tampered = Assert.Single(_rig.Sink.OfType<CameraTampered>());
        Assert.Equal(TamperKind.Covered, tampered.Kind);
        Assert.Equal(T0.AddSeconds(15), tampered.OccurredAt);

        await FeedAsync(8, (_, _) => { });
        Assert.Equal(TamperKind.Covered, Assert.Single(_rig.Sink.OfType<CameraTamperCleared>()).Kind);
    }

    [Fact]
    public async Task HeavyBlur_RaisesBlurred()
    {
        await FeedAsync(10, (_, _) => { });
        await FeedAsync(8, (src, dst) => Cv2.GaussianBlur(src, dst, new Size(41, 41), 0));

        Assert.Equal(TamperKind.Blurred, Assert.Single(_rig.Sink.OfType<CameraTampered>()).Kind);
    }

    [Fact]
    public async Task ViewTurnedAway_RaisesMoved()
    {
        await FeedAsync(10, (_, _) => { });
        // The camera turned: the picture is what used to be at its right half, upside down.
        await FeedAsync(8, (src, dst) => Cv2.Flip(src, dst, FlipMode.XY));

        Assert.Equal(TamperKind.Moved, Assert.Single(_rig.Sink.OfType<CameraTampered>()).Kind);
    }

    private async Task FeedAsync(int seconds, Action<Mat, Mat> alter)
    {
        var folder = Path.Combine(RepoRoot.Path, ".cache", "footage", "vtest");
        Assert.True(File.Exists(Path.Combine(folder, "00000.jpg")), "run ./hall.sh setup: it prepares the vtest footage");
        for (var i = 0; i < seconds; i++, _second++)
        {
            // vtest runs at 10 fps: one analysed frame per second is every tenth.
            using var source = Cv2.ImRead(Path.Combine(folder, $"{(_second * 10) % 795:00000}.jpg"));
            using var altered = source.Clone();
            alter(source, altered);
            await _detector.OnFrameAsync(CameraFrame.FromBgr("cam-1", T0.AddSeconds(_second), altered), CancellationToken.None);
        }
    }
}
