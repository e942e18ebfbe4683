using System.Globalization;

namespace ServiceHall.Recorder.Live;

/// <summary>The rolling HLS output of one camera's ffmpeg: stream copy, a few short MPEG-TS segments kept, older ones deleted.</summary>
public static class LiveArguments
{
    /// <summary>Segments listed in the local playlist (and kept on disk, plus one).</summary>
    public const int ListSize = 5;

    public static string Output(string playlistPath, string segmentPattern, TimeSpan segmentLength) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"-map 0:v:0 -c:v copy -an -sn -dn -f hls -hls_time {segmentLength.TotalSeconds:0.###} -hls_list_size {ListSize} -hls_flags delete_segments+temp_file -hls_segment_filename \"{segmentPattern}\" \"{playlistPath}\"");
}
