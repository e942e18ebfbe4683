using ServiceHall.Recorder.Live;

namespace ServiceHall.Recorder.Tests.Live;

/// <summary>Where the rolling live output goes: RAM by default, so it does not double the recording disk's writes.</summary>
public sealed class LiveOptionsTests
{
    [Fact]
    public void Root_ByDefault_IsOneFolderPerRecorderOnTheRamDisk()
    {
        var options = new LiveOptions();

        var a = options.Root("/srv/hall-a", "/dev/shm");
        var b = options.Root("/srv/hall-b", "/dev/shm");

        Assert.StartsWith("/dev/shm/servicehall-live-", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(a, options.Root("/srv/hall-a/", "/dev/shm"));
    }

    [Fact]
    public void Root_WithoutARamDisk_IsUnderTheDataDirectory() =>
        Assert.Equal("/srv/hall-a/live", new LiveOptions().Root("/srv/hall-a", ramDisk: null));

    [Fact]
    public void Root_Configured_IsTakenAsGiven_RelativeToTheDataDirectory()
    {
        Assert.Equal("/srv/hall-a/hls", new LiveOptions { Directory = "hls" }.Root("/srv/hall-a", "/dev/shm"));
        Assert.Equal("/mnt/ram/live", new LiveOptions { Directory = "/mnt/ram/live" }.Root("/srv/hall-a", "/dev/shm"));
    }

    [Fact]
    public void Source_SubByDefault_MainWhenSet_AnythingElseRefusedByName()
    {
        Assert.Equal(LiveSource.Sub, new LiveOptions().Source);
        Assert.Empty(new LiveOptions { Source = LiveSource.Main }.Validate(new(new object())));

        var refused = Assert.Single(new LiveOptions { Source = (LiveSource)7 }.Validate(new(new object())));

        Assert.Contains("Live:Source", refused.ErrorMessage, StringComparison.Ordinal);
    }
}
