using System.Text.Json;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

/// <summary>Pins the JSON of the watched-cameras message and the live segment names (Recorders are upgraded after the Console).</summary>
public sealed class ViewingWireJsonTests
{
    [Fact]
    public void CamerasWatched_HasPinnedShape_AndRoundTrips()
    {
        var watched = new CamerasWatched(true, ["cam-2"], ["cam-3"]);
        var json = JsonSerializer.Serialize(watched, WireJson.Options);

        Assert.Equal("""{"allCameras":true,"cameraIds":["cam-2"],"liveCameraIds":["cam-3"]}""", json);
        var back = JsonSerializer.Deserialize<CamerasWatched>(json, WireJson.Options)!;
        Assert.True(back.AllCameras);
        Assert.Equal(["cam-2"], back.CameraIds);
        Assert.Equal(["cam-3"], back.LiveCameraIds);
    }

    [Fact]
    public void CamerasWatched_LiveAndSingleCamerasCountAsWatched()
    {
        var watched = new CamerasWatched(false, ["cam-2"], ["cam-3"]);

        Assert.True(watched.IsWatched("cam-2"));
        Assert.True(watched.IsWatched("cam-3"));
        Assert.False(watched.IsWatched("cam-1"));
        Assert.True(watched.IsLive("cam-3"));
        Assert.False(watched.IsLive("cam-2"));
        Assert.False(CamerasWatched.Nobody.Any);
        Assert.True(new CamerasWatched(true, [], []).IsWatched("any"));
    }

    [Theory]
    [InlineData("1732600000000_12.ts", 1732600000000L, 12L)]
    [InlineData("0_0.ts", 0L, 0L)]
    public void LiveSegmentName_Parses(string name, long run, long number) =>
        Assert.Equal((run, number), LiveUploads.ParseName(name));

    [Theory]
    [InlineData("../1_2.ts")]
    [InlineData("1_2.mp4")]
    [InlineData("1_2_3.ts")]
    [InlineData("_2.ts")]
    [InlineData("a_2.ts")]
    [InlineData(null)]
    public void LiveSegmentName_RejectsAnythingElse(string? name) =>
        Assert.Null(LiveUploads.ParseName(name));
}
