using System.Collections.Concurrent;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>Live health and latest frame of each camera, shared by capture (writer) and uplink (reader).</summary>
public sealed class CameraStates : IFrameConsumer
{
    /// <summary>How far back <see cref="CameraHealthReported.SkippedFramesLastMinute"/> counts.</summary>
    private static readonly TimeSpan SkipWindow = TimeSpan.FromMinutes(1);

    // A minute at the highest analysis rate (30 fps) is 1,800 frames; more times are not kept.
    private const int MaxSkipsKept = 2_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ReportTrigger _changed;
    private readonly TimeProvider _time;

    public CameraStates(Microsoft.Extensions.Options.IOptions<CaptureOptions> options, ReportTrigger changed, TimeProvider? time = null)
    {
        _changed = changed;
        _time = time ?? TimeProvider.System;
        foreach (var camera in options.Value.Cameras)
        {
            _entries[camera.Id] = new Entry(camera.Id, camera.Name, hasSub: !string.IsNullOrWhiteSpace(camera.AnalysisUrl));
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

    /// <summary>How this session of the camera decodes its analysis frames (<see cref="GopPolicy"/>).</summary>
    public void SetGop(string cameraId, GopDecision gop)
    {
        var entry = _entries[cameraId];
        lock (entry)
        {
            var changed = entry.Gop?.KeyFramesOnly != gop.KeyFramesOnly || entry.Gop?.Warning != gop.Warning;
            entry.Gop = gop;
            if (changed)
            {
                _changed.Signal();
            }
        }
    }

    /// <summary>
    /// What a session of one of the camera's streams found: <paramref name="state"/> is <c>connecting</c>, <c>up</c>,
    /// <c>down</c> or <c>refused</c>; <paramref name="info"/> (when not null) replaces what was last probed.
    /// </summary>
    public void SetStream(string cameraId, StreamRole role, string state, StreamInfo? info = null, string? error = null)
    {
        var entry = _entries[cameraId];
        lock (entry)
        {
            var stream = entry.Streams[(int)role];
            var changed = stream.State != state || stream.Error != error;
            stream.State = state;
            stream.Error = error;
            stream.Info = info ?? stream.Info;
            if (changed)
            {
                _changed.Signal();
            }
        }
    }

    /// <summary>Which stream the camera's analysis reads now; only reported for a camera with a sub stream.</summary>
    public void SetAnalysisSource(string cameraId, StreamRole role)
    {
        var entry = _entries[cameraId];
        lock (entry)
        {
            var changed = entry.AnalysisSource != role;
            entry.AnalysisSource = role;
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

    /// <summary>
    /// The analysis skipped one of this camera's frames because it was behind (<see cref="FramePipe"/>). The first skip
    /// in a quiet minute triggers a report, so the Console hears of an overloaded box at once.
    /// </summary>
    public void FrameSkipped(string cameraId)
    {
        if (!_entries.TryGetValue(cameraId, out var entry))
        {
            return;
        }

        lock (entry)
        {
            var now = _time.GetUtcNow();
            var first = RecentSkips(entry, now) == 0;
            entry.Skips.Enqueue(now);
            if (entry.Skips.Count > MaxSkipsKept)
            {
                entry.Skips.Dequeue();
            }

            if (first)
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

    public IReadOnlyList<CameraHealthReported> Report()
    {
        var now = _time.GetUtcNow();
        return _entries.Values
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .Select(e =>
            {
                lock (e)
                {
                    return new CameraHealthReported(
                        e.Id,
                        e.Name,
                        e.Online,
                        e.LatestFrame?.Timestamp,
                        e.Width,
                        e.Height,
                        e.Error,
                        RecentSkips(e, now),
                        e.Gop?.KeyFrameInterval?.TotalSeconds,
                        e.Gop?.KeyFramesOnly ?? false,
                        e.Gop?.Warning,
                        [.. e.Streams.Select((stream, i) => stream.Report((StreamRole)i))],
                        e.Streams.Length > 1 ? Wire(e.AnalysisSource) : null);
                }
            })
            .ToList();
    }

    /// <summary>Skips within <see cref="SkipWindow"/> of <paramref name="now"/>, forgetting older ones. Call under the entry's lock.</summary>
    private static int RecentSkips(Entry entry, DateTimeOffset now)
    {
        while (entry.Skips.TryPeek(out var at) && (now - at >= SkipWindow || at > now))
        {
            entry.Skips.Dequeue();
        }

        return entry.Skips.Count;
    }

    private static string Wire(StreamRole role) => role == StreamRole.Main ? "main" : "sub";

    private sealed class Entry(string id, string name, bool hasSub)
    {
        public StreamEntry[] Streams { get; } = hasSub ? [new(), new()] : [new()];
        public StreamRole AnalysisSource { get; set; } = hasSub ? StreamRole.Sub : StreamRole.Main;
        public string Id { get; } = id;
        public string Name { get; } = name;
        public bool Online { get; set; }
        public int Width { get; set; }
        public int Height { get; set; }
        public string? Error { get; set; } = "connecting";
        public CameraFrame? LatestFrame { get; set; }
        public GopDecision? Gop { get; set; }
        public Queue<DateTimeOffset> Skips { get; } = new();
    }

    private sealed class StreamEntry
    {
        public string State { get; set; } = "connecting";
        public string? Error { get; set; }
        public StreamInfo? Info { get; set; }

        public CameraStreamReported Report(StreamRole role) =>
            new(Wire(role), State, Info?.Codec, Info?.Width ?? 0, Info?.Height ?? 0, Info?.Gop.KeyFrameInterval?.TotalSeconds, Info?.BitrateKbps, Error);
    }
}

/// <summary>The streams of a camera: the main one (recorded) and its sub stream (low resolution, for analysis and live video).</summary>
public enum StreamRole
{
    Main,
    Sub,
}
