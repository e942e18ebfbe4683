namespace ServiceHall.Shared.Contracts;

/// <summary>A supervisor asked for the recording of one camera over a time range (to the second).</summary>
public sealed record ClipRequested(string ClipId, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string RequestedBy);

/// <summary>One recorded segment a clip was cut from, with its hash at export time.</summary>
public sealed record ClipSourceSegment(string File, DateTimeOffset Start, DateTimeOffset End, long Bytes, string Sha256);

/// <summary>
/// The manifest of an exported clip: what was asked, what the clip actually covers (it starts at the key frame at or
/// before the requested start), the segments it came from, and the clip's own SHA-256. The clip is the evidence: the
/// camera's own packets in their own <paramref name="Codec"/>. An HEVC clip also has a <paramref name="ViewingCopy"/>.
/// </summary>
public sealed record ClipExported(
    string ClipId,
    string SiteId,
    string CameraId,
    DateTimeOffset RequestedFrom,
    DateTimeOffset RequestedTo,
    DateTimeOffset ActualFrom,
    DateTimeOffset ActualTo,
    long Bytes,
    string Sha256,
    string RecorderVersion,
    DateTimeOffset ExportedAt,
    IReadOnlyList<ClipSourceSegment> Sources,
    string Codec = "",
    ClipViewingCopy? ViewingCopy = null);

/// <summary>
/// An H.264 transcode of an HEVC clip, cut beside it for browsers without an HEVC decoder: for watching only, never
/// the evidence. <paramref name="File"/> is its name beside the clip.
/// </summary>
public sealed record ClipViewingCopy(string File, string Codec, int Width, int Height, long Bytes, string Sha256);

/// <summary>How a Recorder uploads a clip to the Console over HTTP, in resumable chunks, with its site key headers.</summary>
public static class ClipUploads
{
    /// <summary>Largest chunk the Console accepts.</summary>
    public const int MaxChunkBytes = 4 * 1024 * 1024;

    /// <summary><c>GET</c>: bytes received so far; <c>PUT ?offset=N&amp;total=T</c>: append a chunk at N of a clip of T bytes (T shows progress).</summary>
    public static string Data(string clipId) => $"/api/recorder/clips/{clipId}/data";

    /// <summary>
    /// <c>GET</c>: bytes of the viewing copy received so far; <c>PUT ?offset=N</c>: append a chunk. Sent before
    /// <see cref="Complete"/> when the manifest names a <see cref="ClipViewingCopy"/>.
    /// </summary>
    public static string ViewingCopy(string clipId) => $"/api/recorder/clips/{clipId}/viewing-copy";

    /// <summary><c>POST</c> the <see cref="ClipExported"/> manifest: the Console checks size and hash and keeps the clip.</summary>
    public static string Complete(string clipId) => $"/api/recorder/clips/{clipId}/complete";

    /// <summary><c>POST</c> <c>{"reason": ...}</c>: the Recorder cannot produce the clip.</summary>
    public static string Failed(string clipId) => $"/api/recorder/clips/{clipId}/failed";

    /// <summary>Clip ids are 32 lower-case hex digits (a GUID "N"), so they are safe as file names.</summary>
    public static bool IsValidId(string? clipId) =>
        clipId is { Length: 32 } && clipId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}

/// <summary>A clip's request, upload or check moved on: pushed to the site's watchers, so the review page needs no polling.</summary>
public sealed record ClipProgressed(string ClipId, string SiteId, string CameraId, string Status, long ReceivedBytes, long TotalBytes, string? Error);
