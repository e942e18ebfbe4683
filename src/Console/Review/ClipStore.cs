using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>Where a clip request stands.</summary>
public enum ClipStatus
{
    Requested,
    Uploading,
    Complete,
    Failed,
}

/// <summary>One clip request and its upload, as stored. Times are UTC ticks (LiteDB would return local DateTimes).</summary>
public sealed class ClipRecord
{
    public string Id { get; set; } = "";

    public string SiteId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long FromTicks { get; set; }

    public long ToTicks { get; set; }

    public string Reason { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public long RequestedAtTicks { get; set; }

    public ClipStatus Status { get; set; }

    public long ReceivedBytes { get; set; }

    /// <summary>The clip's full size as the Recorder announced it with its chunks; 0 until the first chunk.</summary>
    public long TotalBytes { get; set; }

    public string? Sha256 { get; set; }

    public string? Error { get; set; }

    public ClipRequested Request() =>
        new(Id, CameraId, new DateTimeOffset(FromTicks, TimeSpan.Zero), new DateTimeOffset(ToTicks, TimeSpan.Zero), Reason, RequestedBy);
}

/// <summary>
/// Clip requests and uploaded clips: records in the Console's store (LiteDB or PostgreSQL), files under
/// <c>{Storage:DataDirectory}/clips/{site}/{clip}.mp4</c> on both. Paths are built only from a validated site slug and
/// a 32-hex clip id, so no request can name a path. Each provider supplies the records and a lock.
/// </summary>
public abstract class ClipStore
{
    /// <summary>Why a complete clip refuses every change: it may be evidence, written once.</summary>
    public const string CompleteIsFinal = "the clip is complete and can no longer change";

    /// <summary>The one lock key of clip creation: requests are made by people, so one at a time is plenty.</summary>
    protected const string CreateKey = "clips/create";

    private readonly string _root;

    protected ClipStore(IOptions<StorageOptions> storage) => _root = storage.Value.ClipRoot;

    /// <summary>Runs <paramref name="work"/> while no other thread (or, on PostgreSQL, node) holds <paramref name="key"/>.</summary>
    protected abstract T Exclusive<T>(string key, Func<T> work);

    protected abstract void Insert(ClipRecord clip);

    protected abstract ClipRecord? Load(string clipId);

    protected abstract void Save(ClipRecord clip);

    /// <summary>Clips requested and not yet received, by this user or of this site.</summary>
    protected abstract int Outstanding(string? requestedBy, string? siteId);

    /// <summary>The site's clips its Recorder has not finished: requested (perhaps while it was offline) or cut off mid-upload.</summary>
    public abstract IReadOnlyList<ClipRecord> Unfinished(string siteId);

    /// <summary>
    /// Stores the request unless the user or the site already owes too many clips; then returns null and why.
    /// Counting and inserting under one lock keeps a burst of parallel requests (to any node) from slipping past the cap.
    /// </summary>
    public (ClipRecord? Clip, string? Refusal) TryCreate(string siteId, ClipRequested request, DateTimeOffset now, ReviewOptions caps) =>
        Exclusive<(ClipRecord?, string?)>(CreateKey, () =>
        {
            var byUser = Outstanding(request.RequestedBy, null);
            if (byUser >= caps.MaxOutstandingClipsPerUser)
            {
                return (null, $"you already have {byUser} clips requested and not yet received (at most {caps.MaxOutstandingClipsPerUser}); wait for them to arrive");
            }

            var bySite = Outstanding(null, siteId);
            if (bySite >= caps.MaxOutstandingClipsPerSite)
            {
                return (null, $"site {siteId} already owes {bySite} clips (at most {caps.MaxOutstandingClipsPerSite}); wait for them to arrive");
            }

            return (Create(siteId, request, now), null);
        });

    public ClipRecord Create(string siteId, ClipRequested request, DateTimeOffset now)
    {
        var record = new ClipRecord
        {
            Id = request.ClipId,
            SiteId = siteId,
            CameraId = request.CameraId,
            FromTicks = request.From.UtcTicks,
            ToTicks = request.To.UtcTicks,
            Reason = request.Reason,
            RequestedBy = request.RequestedBy,
            RequestedAtTicks = now.UtcTicks,
            Status = ClipStatus.Requested,
        };
        Insert(record);
        return record;
    }

    public ClipRecord? Find(string clipId) => ClipUploads.IsValidId(clipId) ? Load(clipId) : null;

    /// <summary>The clip of this site, or null (unknown, or another site's: a Recorder never learns of other sites' clips).</summary>
    public ClipRecord? FindForSite(string clipId, string siteId) => Find(clipId) is { } c && c.SiteId == siteId ? c : null;

    public string FinalPath(ClipRecord clip) => Path.Combine(_root, clip.SiteId, clip.Id + ".mp4");

    public string ManifestPath(ClipRecord clip) => Path.Combine(_root, clip.SiteId, clip.Id + ".json");

    private string PartPath(ClipRecord clip) => Path.Combine(_root, clip.SiteId, clip.Id + ".part");

    /// <summary>An HEVC clip's H.264 viewing copy (for browsers; not the evidence), kept beside it once complete.</summary>
    public string ViewingCopyPath(ClipRecord clip) => Path.Combine(_root, clip.SiteId, clip.Id + ".view.mp4");

    private string ViewingPartPath(ClipRecord clip) => Path.Combine(_root, clip.SiteId, clip.Id + ".view.part");

    /// <summary>What the browser plays: the viewing copy when the clip has one, else the clip itself.</summary>
    public string PlaybackPath(ClipRecord clip) => File.Exists(ViewingCopyPath(clip)) ? ViewingCopyPath(clip) : FinalPath(clip);

    /// <summary>Bytes of the viewing copy received so far (its part file is its state: it is checked whole at complete).</summary>
    public long ViewingCopyReceived(ClipRecord clip) => File.Exists(ViewingPartPath(clip)) ? new FileInfo(ViewingPartPath(clip)).Length : 0;

    /// <summary>Appends a chunk of the viewing copy at <paramref name="offset"/>, within the same caps as the clip; refused once the clip is complete.</summary>
    public async Task<(bool Accepted, long Received)> AppendViewingCopyAsync(ClipRecord clip, long offset, Stream body, int maxBytes, long maxClipBytes, CancellationToken ct)
    {
        var buffer = new byte[maxBytes + 1];
        var read = await ReadChunkAsync(body, buffer, maxBytes, ct);
        return Exclusive(clip.Id, () =>
        {
            var received = ViewingCopyReceived(clip);
            if (Load(clip.Id)!.Status == ClipStatus.Complete || offset != received)
            {
                return (false, received);
            }

            if (offset + read > maxClipBytes)
            {
                throw new InvalidDataException($"the chunk would take the viewing copy to {offset + read} bytes, past {maxClipBytes}");
            }

            WriteChunk(ViewingPartPath(clip), offset, buffer, read);
            return (true, offset + read);
        });
    }

    private static async Task<int> ReadChunkAsync(Stream body, byte[] buffer, int maxBytes, CancellationToken ct)
    {
        var read = 0;
        int n;
        while ((n = await body.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
            if (read > maxBytes)
            {
                throw new InvalidDataException($"chunk larger than {maxBytes} bytes");
            }
        }

        return read;
    }

    private static void WriteChunk(string part, long offset, byte[] buffer, int read)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        using var file = new FileStream(part, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        file.SetLength(offset);
        file.Position = offset;
        file.Write(buffer, 0, read);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Appends a chunk at <paramref name="offset"/>; a chunk not at the end of what arrived is refused with the true length.
    /// The first chunk's <paramref name="total"/> is the clip's declared size, at most <paramref name="maxClipBytes"/>, and
    /// no chunk may take the upload past it (<see cref="InvalidDataException"/>), so one key cannot fill the Console's disk.
    /// </summary>
    public async Task<(bool Accepted, long Received)> AppendAsync(ClipRecord clip, long offset, long total, Stream body, int maxBytes, long maxClipBytes, CancellationToken ct)
    {
        if (total > maxClipBytes)
        {
            throw new InvalidDataException($"a clip may have at most {maxClipBytes} bytes; {total} declared");
        }

        var buffer = new byte[maxBytes + 1];
        var read = await ReadChunkAsync(body, buffer, maxBytes, ct);
        return Exclusive(clip.Id, () =>
        {
            var current = Load(clip.Id)!;
            if (current.Status == ClipStatus.Complete || offset != current.ReceivedBytes)
            {
                return (false, current.ReceivedBytes);
            }

            // A fresh upload declares the size; a resumed one stays within what its first chunk declared.
            var declared = offset == 0 || current.TotalBytes == 0 ? total : current.TotalBytes;
            var limit = declared > 0 ? Math.Min(declared, maxClipBytes) : maxClipBytes;
            if (offset + read > limit)
            {
                throw new InvalidDataException($"the chunk would take the clip to {offset + read} bytes, past its {limit}");
            }

            WriteChunk(PartPath(current), offset, buffer, read);

            current.ReceivedBytes = offset + read;
            current.TotalBytes = declared > 0 ? declared : current.ReceivedBytes;
            current.Status = ClipStatus.Uploading;
            current.Error = null;
            Save(current);
            return (true, current.ReceivedBytes);
        });
    }

    /// <summary>Checks size and SHA-256 against the manifest; a match becomes the kept clip, a mismatch is discarded for a fresh upload.</summary>
    public async Task<string?> CompleteAsync(ClipRecord clip, ClipExported manifest, string manifestJson, CancellationToken ct)
    {
        var part = PartPath(clip);
        if (manifest.ClipId != clip.Id || manifest.SiteId != clip.SiteId || manifest.CameraId != clip.CameraId)
        {
            return "manifest names another clip, site or camera";
        }

        if (!File.Exists(part) || new FileInfo(part).Length != manifest.Bytes)
        {
            return $"received {(File.Exists(part) ? new FileInfo(part).Length : 0)} bytes, manifest says {manifest.Bytes}";
        }

        var actual = await HashAsync(part, ct);
        var viewingPart = ViewingPartPath(clip);
        if (manifest.ViewingCopy is { } view)
        {
            var received = ViewingCopyReceived(clip);
            var viewHash = received == view.Bytes ? await HashAsync(viewingPart, ct) : "";
            if (viewHash != view.Sha256)
            {
                // Discarded, so the Recorder's next attempt sends it again from the start.
                File.Delete(viewingPart);
                return $"viewing copy: received {received} bytes with SHA-256 {viewHash}, manifest says {view.Bytes} bytes, {view.Sha256}";
            }
        }

        return Exclusive(clip.Id, () =>
        {
            var current = Load(clip.Id)!;
            if (current.Status == ClipStatus.Complete)
            {
                return CompleteIsFinal;
            }

            if (!string.Equals(actual, manifest.Sha256, StringComparison.Ordinal))
            {
                File.Delete(part);
                current.ReceivedBytes = 0;
                current.Status = ClipStatus.Failed;
                current.Error = $"SHA-256 of the upload {actual} does not match the manifest's {manifest.Sha256}; upload again";
                Save(current);
                return current.Error;
            }

            // Never over an existing file: a clip's bytes are written once, and both files are made read-only at once.
            File.WriteAllText(ManifestPath(current), manifestJson);
            File.Move(part, FinalPath(current), overwrite: false);
            if (manifest.ViewingCopy is not null)
            {
                File.Move(viewingPart, ViewingCopyPath(current), overwrite: false);
            }

            Seal(current);
            current.Status = ClipStatus.Complete;
            current.Sha256 = actual;
            current.Error = null;
            Save(current);
            return (string?)null;
        });
    }

    /// <summary>
    /// Makes a complete clip's files read-only (mode 0400): evidence is write-once, so nothing of ours opens it for
    /// writing again. It stops mistakes, not root; the hash kept with a case is what shows a change.
    /// </summary>
    public void Seal(ClipRecord clip)
    {
        foreach (var path in new[] { FinalPath(clip), ManifestPath(clip), ViewingCopyPath(clip) }.Where(File.Exists))
        {
            if (OperatingSystem.IsWindows())
            {
                File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
            }
            else
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead);
            }
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    /// <summary>The SHA-256 of the clip's file as it is on disk now.</summary>
    public async Task<string> HashFileAsync(ClipRecord clip, CancellationToken ct)
    {
        await using var file = File.OpenRead(FinalPath(clip));
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }

    public void Fail(ClipRecord clip, string reason) =>
        Exclusive(clip.Id, () =>
        {
            var current = Load(clip.Id)!;
            current.Status = ClipStatus.Failed;
            current.Error = reason.Length > 500 ? reason[..500] : reason;
            Save(current);
            return true;
        });
}
