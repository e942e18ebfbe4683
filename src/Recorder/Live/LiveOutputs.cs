using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Site;

namespace ServiceHall.Recorder.Live;

/// <summary>
/// Where each camera's rolling HLS output goes; every capture run starts with an empty folder, and the folders go when
/// the Recorder stops (in RAM by default, they would otherwise stay until the machine restarts).
/// </summary>
public sealed class LiveOutputs(IOptions<LiveOptions> options, IOptions<SiteOptions> site, TimeProvider time) : ILiveOutput, IDisposable
{
    public const string PlaylistName = "live.m3u8";

    public string Root { get; } = options.Value.Root(site.Value.DataDirectory);

    private readonly ConcurrentDictionary<string, byte> _folders = new(StringComparer.Ordinal);

    public string Folder(string cameraId) => Path.Combine(Root, cameraId);

    public bool FromMainStream => options.Value.Source == LiveSource.Main;

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
        _folders.TryAdd(folder, 0);
        // The run stamps segment names, so the Console can tell a new stream clock (a discontinuity) from the next segment.
        var run = time.GetUtcNow().ToUnixTimeMilliseconds();
        return LiveArguments.Output(Path.Combine(folder, PlaylistName), Path.Combine(folder, $"{run}_%d.ts"), options.Value.SegmentLength);
    }

    public void Dispose()
    {
        foreach (var folder in _folders.Keys)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Gone already, or still held: a later run empties it anyway.
            }
        }

        if (Directory.Exists(Root) && !Directory.EnumerateFileSystemEntries(Root).Any())
        {
            Directory.Delete(Root);
        }
    }
}
