using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Site;

namespace ServiceHall.Recorder.Live;

/// <summary>Where each camera's rolling HLS output goes; every capture run starts with an empty folder.</summary>
public sealed class LiveOutputs(IOptions<LiveOptions> options, IOptions<SiteOptions> site, TimeProvider time)
{
    public const string PlaylistName = "live.m3u8";

    public string Root { get; } = options.Value.Root(site.Value.DataDirectory);

    public string Folder(string cameraId) => Path.Combine(Root, cameraId);

    /// <summary>The ffmpeg output options of a new capture run of the camera, or null when live video is off.</summary>
    public string? Begin(string cameraId)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var folder = Folder(cameraId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        // The run stamps segment names, so the Console can tell a new stream clock (a discontinuity) from the next segment.
        var run = time.GetUtcNow().ToUnixTimeMilliseconds();
        return LiveArguments.Output(Path.Combine(folder, PlaylistName), Path.Combine(folder, $"{run}_%d.ts"), options.Value.SegmentLength);
    }
}
