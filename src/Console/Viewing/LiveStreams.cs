using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Cluster;

namespace ServiceHall.Console.Viewing;

/// <summary>
/// The newest few live segments of each camera a Recorder is pushing, in memory, numbered by the Console so the playlist's
/// media sequence only ever grows. A stream nobody feeds for <see cref="ViewingOptions.LiveStaleAfter"/> is dropped, and
/// a site holds at most <see cref="ViewingOptions.MaxLiveBytesPerSite"/>: beyond it the site's oldest segments go first.
/// A segment pushed to this node is sent to the other nodes too: the proxy may hand a Recorder's next push, or a
/// browser's next playlist request, to any node.
/// </summary>
public sealed class LiveStreams(INodeBus bus, IOptions<ViewingOptions> options, TimeProvider time)
{
    /// <summary>Topic of live segments.</summary>
    internal const string Topic = "live-segment";

    private readonly ConcurrentDictionary<string, Site> _sites = new(StringComparer.Ordinal);

    /// <summary>Segments accepted since start, all cameras.</summary>
    public long Received => Interlocked.Read(ref _received);

    private long _received;

    /// <summary>Adds a segment a Recorder pushed here, and sends it to the other nodes; false when the same segment (run and number) is already held.</summary>
    public bool Append(string siteId, string cameraId, long run, long number, double durationSeconds, byte[] bytes)
    {
        var segment = new SharedSegment(siteId, cameraId, run, number, durationSeconds, bytes);
        if (!AppendShared(segment))
        {
            return false;
        }

        bus.Publish(Topic, segment);
        return true;
    }

    /// <summary>A segment pushed to another node (or this one); false when already held.</summary>
    internal bool AppendShared(SharedSegment segment)
    {
        var (siteId, cameraId, run, number, durationSeconds, bytes) = segment;
        var now = time.GetUtcNow();
        var site = _sites.GetOrAdd(siteId, _ => new Site());
        lock (site)
        {
            var stream = site.Streams.TryGetValue(cameraId, out var s) ? s : site.Streams[cameraId] = new Stream();
            if (stream.Segments.Any(s => s.Run == run && s.Number == number))
            {
                return false;
            }

            var previous = stream.Segments.LastOrDefault();
            var discontinuity = previous is not null && (previous.Run != run || previous.Number + 1 != number);
            stream.Segments.Add(new LiveSegment(stream.NextSequence++, run, number, durationSeconds, discontinuity, bytes, site.NextOrder++));
            while (stream.Segments.Count > options.Value.LiveSegments)
            {
                stream.DropOldest();
            }

            // Over the site's budget: the oldest segment of any of its cameras goes, never the one just added.
            while (site.HeldBytes() > options.Value.MaxLiveBytesPerSite
                && site.Streams.Values.Where(t => t.Segments.Count > 0 && (t != stream || t.Segments.Count > 1)).MinBy(t => t.Segments[0].Order) is { } oldest)
            {
                oldest.DropOldest();
            }

            stream.LastReceivedAt = now;
        }

        Interlocked.Increment(ref _received);
        foreach (var other in _sites.Values)
        {
            lock (other)
            {
                other.DropStale(now, options.Value.LiveStaleAfter);
            }
        }

        return true;
    }

    /// <summary>The camera's live playlist with segment URIs from <paramref name="uri"/>, or null when it has no current stream.</summary>
    public string? Playlist(string siteId, string cameraId, Func<long, string> uri) =>
        Read(siteId, cameraId, stream => Render(stream.Segments, stream.DiscontinuitySequence, uri));

    public byte[]? Segment(string siteId, string cameraId, long sequence) =>
        Read(siteId, cameraId, stream => stream.Segments.FirstOrDefault(s => s.Sequence == sequence)?.Bytes);

    /// <summary>Bytes of video held for the site, all cameras.</summary>
    public long HeldBytes(string siteId)
    {
        if (!_sites.TryGetValue(siteId, out var site))
        {
            return 0;
        }

        lock (site)
        {
            return site.HeldBytes();
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

    private T? Read<T>(string siteId, string cameraId, Func<Stream, T?> read)
        where T : class
    {
        if (!_sites.TryGetValue(siteId, out var site))
        {
            return null;
        }

        lock (site)
        {
            site.DropStale(time.GetUtcNow(), options.Value.LiveStaleAfter);
            return site.Streams.TryGetValue(cameraId, out var stream) ? read(stream) : null;
        }
    }

    /// <summary>A segment as nodes send it to each other.</summary>
    public sealed record SharedSegment(string SiteId, string CameraId, long Run, long Number, double DurationSeconds, byte[] Bytes);

    /// <summary>One held segment; <paramref name="Discontinuity"/> when it does not continue the previous one's clock; <paramref name="Order"/> its arrival within the site.</summary>
    internal sealed record LiveSegment(long Sequence, long Run, long Number, double DurationSeconds, bool Discontinuity, byte[] Bytes, long Order);

    /// <summary>One site's streams by camera, under one lock so the site's byte budget is kept across its cameras.</summary>
    private sealed class Site
    {
        public Dictionary<string, Stream> Streams { get; } = new(StringComparer.Ordinal);

        public long NextOrder { get; set; }

        public long HeldBytes() => Streams.Values.Sum(s => s.Segments.Sum(g => (long)g.Bytes.Length));

        /// <summary>Frees the segments of streams nobody feeds any more (a site has few cameras, so a scan is cheap).</summary>
        public void DropStale(DateTimeOffset now, TimeSpan after)
        {
            foreach (var (camera, stream) in Streams.Where(s => s.Value.IsStale(now, after)).ToList())
            {
                Streams.Remove(camera);
            }
        }
    }

    private sealed class Stream
    {
        public List<LiveSegment> Segments { get; } = [];

        public long NextSequence { get; set; }

        public long DiscontinuitySequence { get; set; }

        public DateTimeOffset LastReceivedAt { get; set; } = DateTimeOffset.MinValue;

        public bool IsStale(DateTimeOffset now, TimeSpan after) => Segments.Count > 0 && now - LastReceivedAt > after;

        public void DropOldest()
        {
            // The playlist's discontinuity sequence counts the discontinuities that scrolled off its top.
            if (Segments.Count > 1 && Segments[1].Discontinuity)
            {
                DiscontinuitySequence++;
            }

            Segments.RemoveAt(0);
        }
    }
}
