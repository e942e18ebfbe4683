using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Viewing;

namespace ServiceHall.Console.Tests.Viewing;

/// <summary>The Console's window of live segments per camera: bounded, numbered, with discontinuities, dropped when stale.</summary>
public sealed class LiveStreamsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

    private LiveStreams Streams() => new(new ServiceHall.Console.Cluster.SingleNodeBus(), Options.Create(new ViewingOptions { LiveSegments = 3, LiveStaleAfter = TimeSpan.FromSeconds(10) }), _time);

    [Fact]
    public void Playlist_KeepsTheNewestSegments_AndCountsDiscontinuitiesThatScrolledOff()
    {
        var streams = Streams();
        streams.Append("s", "c", 1, 0, 2, [0]);
        streams.Append("s", "c", 2, 0, 2, [1]);
        streams.Append("s", "c", 2, 1, 2, [2]);
        streams.Append("s", "c", 2, 2, 2, [3]);

        var playlist = streams.Playlist("s", "c", seq => $"{seq}.ts")!;

        Assert.Equal("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n#EXTINF:2.000,\n1.ts\n#EXTINF:2.000,\n2.ts\n#EXTINF:2.000,\n3.ts\n", playlist);
        Assert.Null(streams.Segment("s", "c", 0));
        Assert.Equal([3], streams.Segment("s", "c", 3));
    }

    [Fact]
    public void AGapInTheNumbers_IsADiscontinuity_AndAResentSegmentIsIgnored()
    {
        var streams = Streams();
        Assert.True(streams.Append("s", "c", 1, 0, 2, [0]));
        Assert.False(streams.Append("s", "c", 1, 0, 2, [0]));
        streams.Append("s", "c", 1, 5, 2, [5]);

        Assert.Contains("#EXT-X-DISCONTINUITY\n#EXTINF:2.000,\n1.ts", streams.Playlist("s", "c", seq => $"{seq}.ts"), StringComparison.Ordinal);
        Assert.Equal(2, streams.Received);
    }

    [Fact]
    public void AStreamNobodyFeeds_Ends()
    {
        var streams = Streams();
        streams.Append("s", "c", 1, 0, 2, [0]);
        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(streams.Playlist("s", "c", seq => $"{seq}.ts"));
        Assert.Null(streams.Segment("s", "c", 0));
    }
}
