using FFMpegCore;
using ServiceHall.Eval;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Occupancy;

/// <summary>The analysis benchmark reads the clip set as one camera session: joined end to end, one camera's windows.</summary>
public sealed class BenchJoinTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Join_TwoClips_IsOneVideoAsLongAsBoth_WithTheFirstClipsWindows()
    {
        var basic = ClipLabels.Load(OccupancyFixture.Clip("basic.labels.json"));
        var walk = ClipLabels.Load(OccupancyFixture.Clip("walk-past.labels.json"));

        var joined = await Bench.JoinAsync([basic, walk], _dir.Path);

        var lengths = await Task.WhenAll(new[] { basic, walk, joined }.Select(c => FFProbe.AnalyseAsync(c.VideoPath)));
        Assert.Equal(lengths[0].Duration.TotalSeconds + lengths[1].Duration.TotalSeconds, lengths[2].Duration.TotalSeconds, 0.5);
        Assert.StartsWith(_dir.Path, joined.VideoPath, StringComparison.Ordinal);
        Assert.Same(basic.Windows, joined.Windows);
    }

    [Fact]
    public async Task Join_ClipsOfDifferentSeats_IsRefusedNamingTheClip()
    {
        var basic = ClipLabels.Load(OccupancyFixture.Clip("basic.labels.json"));
        var moved = basic with { LabelsPath = "moved.labels.json", Windows = [basic.Windows[0] with { Seat = [[0, 0], [0.5, 0], [0.5, 0.5]] }] };

        var ex = await Assert.ThrowsAsync<LabelsException>(() => Bench.JoinAsync([basic, moved], _dir.Path));

        Assert.Contains("moved.labels.json", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }
}
