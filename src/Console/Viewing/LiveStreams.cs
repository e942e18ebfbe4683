using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Viewing;

/// <summary>
/// The newest few live segments of each camera a Recorder is pushing, in memory, numbered by the Console so the playlist's
/// media sequence only ever grows. A stream nobody feeds for <see cref="ViewingOptions.LiveStaleAfter"/> is dropped.
/// </summary>
public sealed class LiveStreams(IOptions<ViewingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Site, string Camera), Stream> _streams = new();

    /// <summary>Segments accepted since start, all cameras.</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    /// <summary>Adds a segment; false when the same segment (run and number) is already held.</summary>
    public bool Append(string siteId, string cameraId, long run, long number, double durationSeconds, byte[] bytes)
    {
        var now = time.GetUtcNow();
        var stream = _streams.AddOrUpdate((siteId, cameraId), _ => new Stream(), (_, s) => s.IsStale(now, options.Value.LiveStaleAfter) ? new Stream() : s);
        lock (stream)
        {
            if (stream.Segments.Any(s => s.Run == run && s.Number == number))
            {
                return false;
            }

            var previous = stream.Segments.LastOrDefault();
            var discontinuity = previous is not null && (previous.Run != run || previous.Number + 1 != number);
            stream.Segments.Add(new LiveSegment(stream.NextSequence++, run, number, durationSeconds, discontinuity, bytes));
            while (stream.Segments.Count > options.Value.LiveSegments)
            {
                // The playlist's discontinuity sequence counts the discontinuities that scrolled off its top.
                if (stream.Segments[1].Discontinuity)
                {
                    stream.DiscontinuitySequence++;
                }

                stream.Segments.RemoveAt(0);
            }

            stream.LastReceivedAt = now;
        }

        Interlocked.Increment(ref _received);
        DropStale(now);
        return true;
    }

    /// <summary>The camera's live playlist with segment URIs from <paramref name="uri"/>, or null when it has no current stream.</summary>
    public string? Playlist(string siteId, string cameraId, Func<long, string> uri)
    {
        if (Current(siteId, cameraId) is not { } stream)
        {
            return null;
        }

        lock (stream)
        {
            return Render(stream.Segments, stream.DiscontinuitySequence, uri);
        }
    }

    public byte[]? Segment(string siteId, string cameraId, long sequence)
    {
        if (Current(siteId, cameraId) is not { } stream)
        {
            return null;
        }

        lock (stream)
        {
            return stream.Segments.FirstOrDefault(s => s.Sequence == sequence)?.Bytes;
        }
    }

    /// <summary>An HLS live media playlist (no end tag: the player keeps reloading it).</summary>
    internal static string Render(IReadOnlyList<LiveSegment> segments, long discontinuitySequence, Func<long, string> uri)
    {
        var text = new StringBuilder();
        var target = segments.Count == 0 ? 1 : (int)Math.Ceiling(segments.Max(s => s.DurationSeconds));
        text.Append("#EXTM3U\n#EXT-X-VERSION:3\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{target}\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{(segments.Count == 0 ? 0 : segments[0].Sequence)}\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-DISCONTINUITY-SEQUENCE:{discontinuitySequence}\n");
        for (var i = 0; i < segments.Count; i++)
        {
            if (i > 0 && segments[i].Discontinuity)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segments[i].DurationSeconds:0.000},\n{uri(segments[i].Sequence)}\n");
        }

        return text.ToString();
    }

    /// <summary>Frees the segments of streams nobody feeds any more (few streams are live at once, so a scan is cheap).</summary>
    private void DropStale(DateTimeOffset now)
    {
        foreach (var (key, stream) in _streams)
        {
            if (stream.IsStale(now, options.Value.LiveStaleAfter))
            {
                _streams.TryRemove(new KeyValuePair<(string, string), Stream>(key, stream));
            }
        }
    }

    private Stream? Current(string siteId, string cameraId)
    {
        if (!_streams.TryGetValue((siteId, cameraId), out var stream))
        {
            return null;
        }

        if (stream.IsStale(time.GetUtcNow(), options.Value.LiveStaleAfter))
        {
            _streams.TryRemove(new KeyValuePair<(string, string), Stream>((siteId, cameraId), stream));
            return null;
        }

        return stream;
    }

    /// <summary>One held segment; <paramref name="Discontinuity"/> when it does not continue the previous one's clock.</summary>
    internal sealed record LiveSegment(long Sequence, long Run, long Number, double DurationSeconds, bool Discontinuity, byte[] Bytes);

    private sealed class Stream
    {
        public List<LiveSegment> Segments { get; } = [];

        public long NextSequence { get; set; }

        public long DiscontinuitySequence { get; set; }

        public DateTimeOffset LastReceivedAt { get; set; } = DateTimeOffset.MinValue;

        public bool IsStale(DateTimeOffset now, TimeSpan after) => Segments.Count > 0 && now - LastReceivedAt > after;
    }
}
