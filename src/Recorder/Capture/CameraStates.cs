using System.Collections.Concurrent;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>Live health and latest frame of each camera, shared by capture (writer) and uplink (reader).</summary>
public sealed class CameraStates : IFrameConsumer
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ReportTrigger _changed;

    public CameraStates(Microsoft.Extensions.Options.IOptions<CaptureOptions> options, ReportTrigger changed)
    {
        _changed = changed;
        foreach (var camera in options.Value.Cameras)
        {
            _entries[camera.Id] = new Entry(camera.Id, camera.Name);
        }
    }

    public void MarkOnline(string cameraId, int width, int height)
    {
        var entry = _entries[cameraId];
        lock (entry)
        {
            var changed = !entry.Online;
            entry.Online = true;
            entry.Width = width;
            entry.Height = height;
            entry.Error = null;
            if (changed)
            {
                _changed.Signal();
            }
        }
    }

    public void MarkDown(string cameraId, string error)
    {
        var entry = _entries[cameraId];
        lock (entry)
        {
            var changed = entry.Online || entry.Error != error;
            entry.Online = false;
            entry.Error = error;
            if (changed)
            {
                _changed.Signal();
            }
        }
    }

    public ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
    {
        var entry = _entries[frame.CameraId];
        lock (entry)
        {
            entry.LatestFrame = frame;
        }

        return ValueTask.CompletedTask;
    }

    public CameraFrame? LatestFrame(string cameraId)
    {
        var entry = _entries[cameraId];
        lock (entry)
        {
            return entry.LatestFrame;
        }
    }

    public IReadOnlyList<CameraHealthReported> Report() =>
        _entries.Values
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .Select(e =>
            {
                lock (e)
                {
                    return new CameraHealthReported(e.Id, e.Name, e.Online, e.LatestFrame?.Timestamp, e.Width, e.Height, e.Error);
                }
            })
            .ToList();

    private sealed class Entry(string id, string name)
    {
        public string Id { get; } = id;
        public string Name { get; } = name;
        public bool Online { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }
        public string? Error { get; set; } = "connecting";
        public CameraFrame? LatestFrame { get; set; }
    }
}
