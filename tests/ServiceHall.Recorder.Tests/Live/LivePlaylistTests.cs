using ServiceHall.Recorder.Diagnostics;
using ServiceHall.Recorder.Live;

namespace ServiceHall.Recorder.Tests.Live;

/// <summary>The rolling HLS output's arguments, reading ffmpeg's playlist, choosing what to push, and the snapshot rate rule.</summary>
public sealed class LivePlaylistTests
{
    private const string Ffmpeg = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:4\n#EXTINF:2.000000,\n17_4.ts\n#EXTINF:2.000000,\n17_5.ts\n#EXTINF:0.200000,\n17_6.ts\n";

    [Fact]
    public void LiveOutput_IsAStreamCopyRollingHlsOutput() =>
        Assert.Equal(
            "-map 0:v:0 -c:v copy -an -sn -dn -f hls -hls_time 1 -hls_list_size 5 -hls_flags delete_segments+temp_file -hls_segment_filename \"/d/cam/17_%d.ts\" \"/d/cam/live.m3u8\"",
            LiveArguments.Output("/d/cam/live.m3u8", "/d/cam/17_%d.ts", TimeSpan.FromSeconds(1)));

    [Fact]
    public void Parse_ReadsEveryListedSegmentWithItsDuration() =>
        Assert.Equal(
            [new LivePlaylist.Entry("17_4.ts", 2.0), new LivePlaylist.Entry("17_5.ts", 2.0), new LivePlaylist.Entry("17_6.ts", 0.2)],
            LivePlaylist.Parse(Ffmpeg));

    [Fact]
    public void Due_AtTheStartOfAPush_OnlyTheNewestFew() =>
        Assert.Equal(["17_5.ts", "17_6.ts"], LivePlaylist.Due(LivePlaylist.Parse(Ffmpeg), new HashSet<string>(), 2).Select(e => e.Name));

    [Fact]
    public void Due_LaterOn_EveryListedSegmentNotSentYet() =>
        Assert.Equal(["17_6.ts"], LivePlaylist.Due(LivePlaylist.Parse(Ffmpeg), new HashSet<string> { "17_4.ts", "17_5.ts" }, 2).Select(e => e.Name));

    [Fact]
    public void SnapshotDue_FirstAlways_ThenOncePerPeriod_AndOnlyForANewFrame()
    {
        var t0 = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var second = TimeSpan.FromSeconds(1);

        Assert.True(HeartbeatService.SnapshotDue(null, t0, t0, second));
        Assert.False(HeartbeatService.SnapshotDue((t0, t0), t0.AddSeconds(1), t0.AddMilliseconds(500), second));
        Assert.True(HeartbeatService.SnapshotDue((t0, t0), t0.AddSeconds(1), t0.AddSeconds(1), second));
        Assert.False(HeartbeatService.SnapshotDue((t0, t0), t0, t0.AddSeconds(5), second));
    }
}
