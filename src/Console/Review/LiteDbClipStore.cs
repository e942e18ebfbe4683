using LiteDB;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Review;

/// <summary>Clip records in the LiteDB file; the file is this process's alone, so one lock serves every key.</summary>
public sealed class LiteDbClipStore(ConsoleDatabase database, IOptions<StorageOptions> storage) : ClipStore(storage)
{
    private readonly ILiteCollection<ClipRecord> _clips = database.Database.GetCollection<ClipRecord>("clips");
    private readonly Lock _gate = new();

    public override IReadOnlyList<ClipRecord> Unfinished(string siteId) =>
        _clips.Find(c => c.SiteId == siteId && (c.Status == ClipStatus.Requested || c.Status == ClipStatus.Uploading)).ToList();

    protected override T Exclusive<T>(string key, Func<T> work)
    {
        lock (_gate)
        {
            return work();
        }
    }

    protected override void Insert(ClipRecord clip) => _clips.Insert(clip);

    protected override ClipRecord? Load(string clipId) => _clips.FindById(clipId);

    protected override void Save(ClipRecord clip) => _clips.Update(clip);

    protected override int Outstanding(string? requestedBy, string? siteId) =>
        _clips.Count(c => (requestedBy == null || c.RequestedBy == requestedBy) && (siteId == null || c.SiteId == siteId)
            && (c.Status == ClipStatus.Requested || c.Status == ClipStatus.Uploading));
}
