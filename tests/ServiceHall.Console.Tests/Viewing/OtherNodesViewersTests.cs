using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Viewing;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Viewing;

/// <summary>The other nodes' viewers: joined per site, and forgotten with a node that stops announcing itself.</summary>
public sealed class OtherNodesViewersTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void For_JoinsWhatEveryNodeWatches_AndNothingFromANodeForgetsOnlyThatNodesViews()
    {
        var others = new OtherNodesViewers(_time);
        others.Set(new NodeWatching("n1", "hall-a", new CamerasWatched(false, ["cam-2"], ["cam-2"])));
        others.Set(new NodeWatching("n2", "hall-a", new CamerasWatched(true, [], ["cam-1"])));
        others.Set(new NodeWatching("n2", "hall-b", new CamerasWatched(false, ["cam-9"], [])));

        var both = others.For("hall-a");
        others.Set(new NodeWatching("n2", "hall-a", OtherNodesViewers.Nothing));
        var one = others.For("hall-a");

        Assert.Equal((true, "cam-2", "cam-1,cam-2"), (both.AllCameras, string.Join(',', both.CameraIds), string.Join(',', both.LiveCameraIds)));
        Assert.Equal((false, "cam-2", "cam-2"), (one.AllCameras, string.Join(',', one.CameraIds), string.Join(',', one.LiveCameraIds)));
        Assert.Equal(["cam-9"], others.For("hall-b").CameraIds);
    }

    [Fact]
    public void ForgetSilent_DropsANodeNotHeardForFifteenSeconds_AndNamesTheSitesItWatched()
    {
        var others = new OtherNodesViewers(_time);
        others.Set(new NodeWatching("killed", "hall-a", new CamerasWatched(false, [], ["cam-1"])));
        others.Set(new NodeWatching("alive", "hall-b", new CamerasWatched(true, [], [])));

        _time.Advance(TimeSpan.FromSeconds(10));
        others.Alive("alive");
        var early = others.ForgetSilent();
        _time.Advance(TimeSpan.FromSeconds(6));
        var forgotten = others.ForgetSilent();

        Assert.Empty(early);
        Assert.Equal(["hall-a"], forgotten);
        Assert.Empty(others.For("hall-a").LiveCameraIds);
        Assert.True(others.For("hall-b").AllCameras);
    }
}
