using FFMpegCore;

namespace ServiceHall.Recorder.Recording;

/// <summary>What ffprobe says about a segment or clip.</summary>
public sealed record MediaInfo(double StartSeconds, TimeSpan Duration, int Width, int Height, string Codec);

/// <summary>Runs ffprobe on recorded files; a file that does not play gives null, never an exception.</summary>
public static class MediaProbe
{
    public static async Task<MediaInfo?> TryProbeAsync(string path, string ffmpegPath, CancellationToken ct)
    {
        try
        {
            var analysis = await FFProbe.AnalyseAsync(path, Options(ffmpegPath), null, ct);
            var video = analysis.PrimaryVideoStream;
            if (video is null || analysis.Duration <= TimeSpan.Zero)
            {
                return null;
            }

            return new MediaInfo(analysis.Format.StartTime.TotalSeconds, analysis.Duration, video.Width ?? 0, video.Height ?? 0, video.CodecName ?? "");
        }
        catch (Exception ex) when (ex is FFMpegCore.Exceptions.FFMpegException or FFMpegCore.Exceptions.FormatNullException or IOException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static FFOptions Options(string ffmpegPath) =>
        new() { BinaryFolder = Path.IsPathRooted(ffmpegPath) ? Path.GetDirectoryName(ffmpegPath) ?? "" : "" };
}
